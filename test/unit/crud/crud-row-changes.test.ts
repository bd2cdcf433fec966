import { describe, expect, it } from "vitest";
import { fold } from "../../../services/cart/index.ts";
import type { CartEvent } from "../../../services/cart/index.ts";
import { dualWritePriceColumns } from "../../../services/crud-cdc/crud/crud-cart-rows.ts";
import { crudRowChanges } from "../../../services/crud-cdc/crud/crud-row-changes.ts";
import type { CrudRowChanges, CrudRowChangesContext } from "../../../services/crud-cdc/crud/crud-row-changes.ts";
import type { LoadedCrudCart } from "../../../services/crud-cdc/crud/load-crud-cart.ts";

const cartId = "c1";
const at = "2025-03-01T10:00:00.000Z";
const context: CrudRowChangesContext = { at, newEventId: () => "00000000-0000-4000-8000-000000000001" };

const added = (sku: string, quantity = 1, unitPriceCents = 100): CartEvent => ({ type: "ItemAdded", cartId, sku, name: sku, unitPriceCents, quantity });
const removed = (sku: string): CartEvent => ({ type: "ItemRemoved", cartId, sku });
const applied = (discountId: string): CartEvent => ({ type: "DiscountApplied", cartId, discountId, sku: "banana", minQuantity: 2, amountCents: -10 });
const revoked = (discountId: string): CartEvent => ({ type: "DiscountRevoked", cartId, discountId });
const item = (sku: string, quantity = 1, unitPriceCents = 100) => ({ cart_id: cartId, sku, name: sku, unit_price_cents: unitPriceCents, quantity });
const discount = (discountId: string) => ({ cart_id: cartId, discount_id: discountId, sku: "banana", min_quantity: 2, amount_cents: -10 });

/** A cart whose rows the given events wrote, as the handler would load it. */
const existing = (...history: CartEvent[]): LoadedCrudCart => ({ state: fold(history), cartRow: "existing" });

/** No change at all, then the parts a test expects. */
function changes(parts: Partial<{ [K in keyof Omit<CrudRowChanges, "cartId">]: Partial<CrudRowChanges[K]> }>): CrudRowChanges {
  return {
    cartId,
    carts: { insertIfAbsent: null, update: null, ...parts.carts },
    cartItems: { deletes: [], updates: [], inserts: [], ...parts.cartItems },
    cartDiscounts: { deletes: [], inserts: [], ...parts.cartDiscounts },
    outbox: { inserts: [], ...parts.outbox },
  };
}

const bump = { update: { updated_at: at } };

describe("the row changes of one command", () => {
  it("raises an existing line with an UPDATE of its quantity, and bumps the carts row", () => {
    expect(crudRowChanges(cartId, existing(added("banana", 2)), [added("banana", 3)], context)).toEqual(
      changes({ cartItems: { updates: [{ sku: "banana", set: { quantity: 5 } }] }, carts: bump }),
    );
  });

  it("inserts a new line, and a new cart's row first only when the handler did not insert it already", () => {
    expect(crudRowChanges(cartId, existing(added("banana")), [added("apple", 2, 150)], context)).toEqual(
      changes({ cartItems: { inserts: [item("apple", 2, 150)] }, carts: bump }),
    );
    // The naive handler: nothing locked, nothing inserted yet. The inserted row is its own timestamp.
    expect(crudRowChanges(cartId, { state: { status: "empty" }, cartRow: "absent" }, [added("apple")], context)).toEqual(
      changes({ cartItems: { inserts: [item("apple")] }, carts: { insertIfAbsent: { at } } }),
    );
    // The locked handler inserted the row before it decided.
    expect(crudRowChanges(cartId, { state: { status: "empty" }, cartRow: "inserted" }, [added("apple")], context)).toEqual(
      changes({ cartItems: { inserts: [item("apple")] } }),
    );
  });

  it("deletes a removed line and a revoked discount, inserts an applied one", () => {
    const loaded = existing(added("banana"), added("apple"), applied("d1"));
    expect(crudRowChanges(cartId, loaded, [removed("apple")], context)).toEqual(changes({ cartItems: { deletes: ["apple"] }, carts: bump }));
    expect(crudRowChanges(cartId, loaded, [revoked("d1")], context)).toEqual(changes({ cartDiscounts: { deletes: ["d1"] }, carts: bump }));
    expect(crudRowChanges(cartId, loaded, [applied("d2")], context)).toEqual(changes({ cartDiscounts: { inserts: [discount("d2")] }, carts: bump }));
  });

  it("writes a corrected price to every column the release writes, even when it is the same price", () => {
    const loaded = existing(added("banana", 1, 100));
    const corrected: CartEvent = { type: "PriceCorrected", cartId, sku: "banana", unitPriceCents: 100 };
    expect(crudRowChanges(cartId, loaded, [corrected], context)).toEqual(
      changes({ cartItems: { updates: [{ sku: "banana", set: { unit_price_cents: 100 } }] }, carts: bump }),
    );
    expect(crudRowChanges(cartId, loaded, [corrected], { ...context, prices: dualWritePriceColumns })).toEqual(
      changes({ cartItems: { updates: [{ sku: "banana", set: { unit_price_cents: 100, unit_price: "1.00" } }] }, carts: bump }),
    );
  });

  it("checks out with one UPDATE of the carts row and one outbox row; attaching a customer is an UPDATE of the carts row", () => {
    const loaded = existing(added("banana", 2));
    const checkedOut: CartEvent = { type: "CheckedOut", cartId, items: [{ sku: "banana", name: "banana", unitPriceCents: 100, quantity: 2 }], discounts: [], totalCents: 200 };
    const planned = crudRowChanges(cartId, loaded, [checkedOut], context);
    expect(planned.carts).toEqual({ insertIfAbsent: null, update: { status: "checked_out", total_cents: 200, updated_at: at } });
    expect(planned.outbox.inserts).toEqual([{ record: expect.objectContaining({ id: "00000000-0000-4000-8000-000000000001", aggregateid: cartId }), createdAt: at }]);
    expect(planned.cartItems).toEqual({ deletes: [], updates: [], inserts: [] });

    const customer = { customerId: "u1", email: "a@example.com", name: "A", shippingAddress: "Street 1" };
    expect(crudRowChanges(cartId, loaded, [{ type: "CustomerAttached", cartId, customer }], context)).toEqual(
      changes({
        carts: { update: { customer_id: "u1", customer_email: "a@example.com", customer_name: "A", shipping_address: "Street 1", updated_at: at } },
      }),
    );
  });

  it("folds several events on one row into one change, but keeps a row deleted and added again a DELETE and an INSERT", () => {
    const loaded = existing(added("banana", 2), applied("d1"));
    // Added and raised in one command: one INSERT with the final quantity.
    expect(crudRowChanges(cartId, loaded, [added("apple", 1), added("apple", 2)], context).cartItems).toEqual({ deletes: [], updates: [], inserts: [item("apple", 3)] });
    // Added and removed in one command: the row never existed outside it.
    expect(crudRowChanges(cartId, loaded, [added("apple"), removed("apple")], context)).toEqual(changes({ carts: bump }));
    // Raised and removed: the loaded row is deleted, not updated first.
    expect(crudRowChanges(cartId, loaded, [added("banana"), removed("banana")], context).cartItems).toEqual({ deletes: ["banana"], updates: [], inserts: [] });
    // Removed and added back: both happened to the row, in that order of statements.
    expect(crudRowChanges(cartId, loaded, [removed("banana"), added("banana", 4)], context).cartItems).toEqual({ deletes: ["banana"], updates: [], inserts: [item("banana", 4)] });
    expect(crudRowChanges(cartId, loaded, [revoked("d1"), applied("d1")], context).cartDiscounts).toEqual({ deletes: ["d1"], inserts: [discount("d1")] });
    expect(crudRowChanges(cartId, loaded, [applied("d2"), revoked("d2")], context).cartDiscounts).toEqual({ deletes: [], inserts: [] });
    // Several lines of one kind are rows of one statement.
    expect(crudRowChanges(cartId, existing(added("banana"), added("apple")), [removed("banana"), removed("apple")], context).cartItems.deletes).toEqual(["banana", "apple"]);
  });

  it("writes nothing for no events", () => {
    expect(crudRowChanges(cartId, existing(added("banana")), [], context)).toEqual(changes({}));
  });
});
