/**
 * What the jti writer (./jti-writer.ts) and its worker (./jti-worker.ts) send each other.
 */

export interface JtiJob {
  environmentId: string;
  clientId: string;
  jti: string;
  expiresAt: string;
  now: string;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

/** Per record: whether it was recorded, or why it failed. */
export type JtiOutcome = boolean | SerializedError;
export type WorkerReply = { seq: number; outcomes: JtiOutcome[] } | { seq: number; error: SerializedError };

/**
 * A batch travels as one flat array of strings, JOB_FIELDS per record, not as an object per
 * record: the structured clone writes and reads every object's property names, which cost the
 * event loop more than the strings themselves (docs/decisions.md, "The token endpoint's hot path").
 */
export interface JtiBatch {
  seq: number;
  jobs: string[];
}

const JOB_FIELDS = 5;

export function packJobs(seq: number, jobs: readonly JtiJob[]): JtiBatch {
  const flat = new Array<string>(jobs.length * JOB_FIELDS);
  jobs.forEach((job, i) => {
    const at = i * JOB_FIELDS;
    flat[at] = job.environmentId;
    flat[at + 1] = job.clientId;
    flat[at + 2] = job.jti;
    flat[at + 3] = job.expiresAt;
    flat[at + 4] = job.now;
  });
  return { seq, jobs: flat };
}

export function unpackJobs(flat: readonly string[]): JtiJob[] {
  const jobs: JtiJob[] = [];
  for (let at = 0; at + JOB_FIELDS <= flat.length; at += JOB_FIELDS) {
    jobs.push({ environmentId: flat[at] as string, clientId: flat[at + 1] as string, jti: flat[at + 2] as string, expiresAt: flat[at + 3] as string, now: flat[at + 4] as string });
  }
  return jobs;
}
