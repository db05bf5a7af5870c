import { parseMarkers } from './markers.js';
import { solutionPath, type Transform } from './stub-file.js';

/** Step 1: find the solution regions; bad markers stop here with file:line. */
export const findRegions: Transform = (file) => ({ ...file, regions: parseMarkers(file.text, solutionPath(file)) });
