/** The little of a logger that the adapters use (Fastify's logger satisfies it). */
export interface LoggerLike {
  warn(obj: unknown, msg: string): void;
}
