/**
 * Commands that every cart accepts and that each write: round after round over the carts, a line
 * added, a second line added, that second line removed (inserts, updates and deletes of rows).
 * The `index`-th of them, for carts named `${prefix}-0` .. `${prefix}-${carts - 1}`.
 */
export function writingCommand(prefix: string, carts: number, index: number): Record<string, unknown> {
  const cartId = `${prefix}-${index % carts}`;
  const round = Math.floor(index / carts);
  if (round % 3 === 0) return { type: "AddItem", cartId, sku: "banana", name: "Banana", unitPriceCents: 100, quantity: 1 };
  if (round % 3 === 1) return { type: "AddItem", cartId, sku: "apple", name: "Apple", unitPriceCents: 150, quantity: 2 };
  return { type: "RemoveItem", cartId, sku: "apple" };
}
