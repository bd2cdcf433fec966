import type pg from "pg";

/** A statement as sent: its text, or the name of the prepared statement it runs. */
export interface SentStatement {
  name: string | null;
  text: string;
}

/**
 * `pool` as it is, but recording every statement sent through it or through a client it lends:
 * each `query` call is one round trip to PostgreSQL, so the record is what a command costs.
 */
export function countingPool(pool: pg.Pool): { pool: pg.Pool; sent: SentStatement[] } {
  const sent: SentStatement[] = [];
  const record = (config: unknown): void => {
    if (typeof config === "string") sent.push({ name: null, text: config });
    else {
      const { name, text } = config as { name?: string; text: string };
      sent.push({ name: name ?? null, text });
    }
  };
  const counted = <T extends object>(target: T, extra: Partial<Record<PropertyKey, unknown>> = {}): T =>
    new Proxy(target, {
      get(object, property) {
        if (property === "query") {
          return (config: unknown, ...rest: unknown[]) => {
            record(config);
            return (object as unknown as { query: (...args: unknown[]) => unknown }).query(config, ...rest);
          };
        }
        if (property in extra) return extra[property];
        const value: unknown = Reflect.get(object, property, object);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
      },
    });
  return {
    pool: counted(pool, { connect: async () => counted(await pool.connect()) }),
    sent,
  };
}
