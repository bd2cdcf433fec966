export type {
  AddItem,
  ApplyDiscount,
  AttachCustomer,
  CartCommand,
  CartCommandType,
  CheckOut,
  CommandMetadata,
  CorrectPrice,
  RemoveItem,
  RevokeDiscount,
} from "./commands.ts";
export type {
  CartEvent,
  CartEventType,
  CheckedOut,
  CustomerAttached,
  DiscountApplied,
  DiscountRevoked,
  ItemAdded,
  ItemRemoved,
  PriceCorrected,
} from "./events.ts";
export { erasedCustomer, initialCartState, isErasedCustomer } from "./state.ts";
export type {
  CartCustomer,
  ErasedCustomer,
  KnownCustomer,
  CartDiscount,
  CartLine,
  CartState,
  CheckedOutCartState,
  InitialCartState,
  OpenCartState,
} from "./state.ts";
export { cartErrorCodes, cartRejection } from "./rejection.ts";
export type { CartErrorCode, CartRejection, FieldError } from "./rejection.ts";
export { cartLimits, idPattern } from "./cart-limits.ts";
export { countingDiscounts, quantityOf, subtotalCents, totalCents } from "./totals.ts";
export { toCartView } from "./cart-view.ts";
export type { CartView } from "./cart-view.ts";
export { decide } from "./decide.ts";
export type { DecideResult } from "./decide.ts";
export { evolve, fold } from "./evolve.ts";
export { parseCommand, parseMetadata } from "./validate-command.ts";
export type { ParseCommandResult, ParseMetadataResult, ParsedMetadata } from "./validate-command.ts";
export { parseCommandInput, rejectedResult } from "./command-result.ts";
export type { CartCommandResult, ParsedCommandInput } from "./command-result.ts";
export { sortedDiscounts, sortedLines } from "./state.ts";
export { CART_CHECKED_OUT_MESSAGE_TYPE, checkedOutMessage } from "./checked-out-message.ts";
export type { CartCheckedOutMessage } from "./checked-out-message.ts";
