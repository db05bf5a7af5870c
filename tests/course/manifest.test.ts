import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { course } from '../../course/course.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

describe('course manifest', () => {
  it('lists the exercises in order with unique ids and component names', () => {
    expect(course.exercises.map((e) => e.number)).toEqual(course.exercises.map((_, i) => i + 1));
    expect(new Set(course.exercises.map((e) => e.id)).size).toBe(course.exercises.length);
    for (const exercise of course.exercises) {
      const names = exercise.components.map((c) => c.name);
      expect(new Set(names).size, `${exercise.id} has two components with the same name`).toBe(names.length);
    }
  });

  it('every owned file exists in solutions/ and belongs to one component only', () => {
    const owners = new Map<string, string>();
    for (const exercise of course.exercises) {
      for (const component of exercise.components) {
        for (const file of component.files) {
          expect(
            existsSync(`${root}solutions/${file}`),
            `${exercise.id} ${component.name}: solutions/${file} is missing`,
          ).toBe(true);
          expect(owners.get(file), `solutions/${file} is owned twice`).toBeUndefined();
          owners.set(file, component.name);
        }
      }
    }
  });

  it('no two owned files share a file name, so a flat upload from an LMS maps to one owned file each', () => {
    const byName = new Map<string, string[]>();
    for (const file of course.exercises.flatMap((e) => e.components.flatMap((c) => c.files))) {
      const name = file.split('/').pop()!;
      byName.set(name, [...(byName.get(name) ?? []), file]);
    }
    const clashes = [...byName.values()].filter((files) => files.length > 1);
    expect(clashes, 'rename one of each pair: the grader cannot tell them apart in a flat upload').toEqual([]);
  });

  it('every handout link points at a heading that exists in that handout', () => {
    for (const exercise of course.exercises) {
      expect(existsSync(`${root}${exercise.handout}`), `${exercise.id}: ${exercise.handout} is missing`).toBe(true);
      const headings = readFileSync(`${root}${exercise.handout}`, 'utf8')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => slug(line.replace(/^#+ /, '')));
      for (const component of exercise.components) {
        const [file, anchor] = component.handout.split('#');
        expect(file, `${exercise.id} ${component.name}: handout link goes to another file`).toBe(exercise.handout);
        expect(headings, `${exercise.id} ${component.name}: no heading with slug #${anchor} in ${file}`).toContain(
          anchor,
        );
      }
    }
  });

  it('every exercise has its public test folder', () => {
    for (const exercise of course.exercises)
      expect(existsSync(`${root}${exercise.publicTests}`), exercise.publicTests).toBe(true);
  });
});
