import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ComponentSpec, CourseSpec, ExerciseSpec } from '../course/course.js';

/**
 * What every tool works on: a kit root folder and the course manifest found there. Tools never
 * import course/course.ts statically, so the same code runs on the kit, on a student handout and on
 * the small fixture course the kit's own tests build.
 */
export interface Kit {
  readonly root: string;
  readonly course: CourseSpec;
}

/** The owner of a file under solutions/ (or exercises/), relative to that folder. */
export interface Owner {
  readonly exercise: ExerciseSpec;
  readonly component: ComponentSpec;
}

/** The repository this file belongs to (tools/ sits at its root). */
export const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Loads `<root>/course/course.ts` (TypeScript: run under tsx or vitest). */
export async function loadKit(root: string = defaultRoot): Promise<Kit> {
  const manifest = path.join(root, 'course', 'course.ts');
  if (!existsSync(manifest)) throw new Error(`No course manifest at ${manifest}`);
  const module = (await import(pathToFileURL(manifest).href)) as { course?: CourseSpec };
  if (!module.course) throw new Error(`${manifest} does not export 'course'`);
  return { root, course: module.course };
}

/** The exercise and component that own `file` (relative to solutions/), if any. */
export function ownerIn(course: CourseSpec, file: string): Owner | undefined {
  for (const exercise of course.exercises) {
    for (const component of exercise.components) if (component.files.includes(file)) return { exercise, component };
  }
  return undefined;
}

/** `a/b/c.ts` with forward slashes whatever the platform. */
export const toPosix = (file: string): string => file.split(path.sep).join('/');
