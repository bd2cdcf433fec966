import { expect } from "vitest";
import { decide, fold } from "../../../services/cart/index.ts";
import type { CartCommand, CartErrorCode, CartEvent, CartRejection, CartState } from "../../../services/cart/index.ts";

/**
 * Decider tests as the style guide reads them: `given(...history).when(command).then(...events)`.
 * Every `when` also checks that decide left the state it was given untouched, since both designs
 * hand it state they go on using.
 */
export function given(...history: CartEvent[]) {
  const state = fold(history);
  return {
    when(command: CartCommand) {
      const before = structuredClone(state);
      const result = decide(command, state);
      expect(state, "decide must not mutate the state it is given").toEqual(before);
      return {
        /** Exactly these events, in order; none means "accepted, nothing written". Returns the new state. */
        then(...expected: CartEvent[]): CartState {
          expect(result).toEqual({ ok: true, events: expected });
          return fold(expected, state);
        },
        /** Rejected with this code; returns the rejection for further checks. */
        thenRejects(code: CartErrorCode): CartRejection {
          if (result.ok) {
            expect.fail(`expected ${code}, but decide accepted with ${JSON.stringify(result.events)}`);
          }
          expect(result.rejection.code).toBe(code);
          expect(result.rejection.message, "a rejection names the cart it is about").toContain(command.cartId);
          return result.rejection;
        },
      };
    },
  };
}
