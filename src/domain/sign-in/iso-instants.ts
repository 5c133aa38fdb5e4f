/** `T` with the instants named by `K` stored as ISO-8601 strings (milliseconds, `Z`). */
export type WithIsoInstants<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };
