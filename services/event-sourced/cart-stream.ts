/** Every cart is one stream; the prefix keeps carts apart from any other stream in the journal. */
const prefix = "cart-";

export function cartStreamId(cartId: string): string {
  return `${prefix}${cartId}`;
}

/** The cartId of a cart stream, or null for a stream of something else. */
export function cartIdOfStream(streamId: string): string | null {
  return streamId.startsWith(prefix) && streamId.length > prefix.length ? streamId.slice(prefix.length) : null;
}
