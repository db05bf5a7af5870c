/**
 * What one submission may hold, zip or folder alike: more entries or bytes than this and the whole
 * submission is refused (a zip bomb, or a folder of 300 MiB); a single larger file is refused alone.
 */
export const MAX_ENTRIES = 2000;
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * A `.json` file (the challenge's weights, grader/challenge/) may be larger: twice the challenge's
 * weights cap (course/course.ts), so that a file over the cap is still read and gets the challenge's own
 * reason ("over the cap of … bytes") instead of going missing.
 */
export const MAX_JSON_FILE_BYTES = 8 * 1024 * 1024;

/** The largest a single file of this name may be. */
export function maxFileBytes(name: string): number {
  return name.toLowerCase().endsWith('.json') ? MAX_JSON_FILE_BYTES : MAX_FILE_BYTES;
}
/** A zip file itself (compressed) larger than this is not opened. */
export const MAX_ZIP_BYTES = 64 * 1024 * 1024;

/** A submission the grader cannot read as a whole; the message says why, for the report and the console. */
export class SubmissionUnreadable extends Error {
  override name = 'SubmissionUnreadable';
}
