import type { RotationEngine } from '../rotation/engine.js';
import type { Job } from './runner.js';

/**
 * Starts the rotations whose time has come (src/rotation/engine.ts resume): a window opened, a retry is due, or
 * a rotation's lease ran out (an instance stopped in the middle). The store finds them by their due date.
 */
export function rotateJob(engine: RotationEngine): Job {
  return { kind: 'rotate', run: (item) => engine.resume(item) };
}
