import { STATUS } from "../setup/mod.ts";
import type { SqlValue } from "../setup/mod.ts";
import type { Operation } from "./operation.ts";

/**
 * One row change by key, the unit the executors render per dialect. Each changes exactly one row; an executor
 * that sees another count treats the model as stale.
 */
export type RowChange =
  | { kind: "insert"; table: string; row: Record<string, SqlValue> }
  | {
    kind: "update";
    table: string;
    key: string;
    id: number;
    /** Columns set to a value. */
    set?: Record<string, SqlValue>;
    /** Columns incremented by an amount (`col = col + n`), e.g. stock. */
    add?: Record<string, number>;
  }
  | { kind: "delete"; table: string; key: string; id: number };

const status = (id: number, statusId: number): RowChange => ({
  kind: "update",
  table: "Orders",
  key: "OrderID",
  id,
  set: { StatusID: statusId },
});

const stock = (inventoryId: number, n: number): RowChange => ({
  kind: "update",
  table: "Inventory",
  key: "InventoryID",
  id: inventoryId,
  add: { QuantityInStock: n },
});

/** The row changes of one operation, in an order that satisfies foreign keys. Pure. */
export function rowChanges(op: Operation): RowChange[] {
  switch (op.kind) {
    case "newCustomer":
      return [
        { kind: "insert", table: "Customers", row: op.customer },
        ...op.addresses.map((row): RowChange => ({ kind: "insert", table: "Addresses", row })),
      ];
    case "updateCustomer":
      return [{ kind: "update", table: "Customers", key: "CustomerID", id: op.customerId, set: op.set }];
    case "deleteCustomer":
      return [
        ...op.cartItemIds.map((id): RowChange => ({
          kind: "delete",
          table: "CartItems",
          key: "CartItemID",
          id,
        })),
        ...(op.cartId === null
          ? []
          : [{ kind: "delete", table: "ShoppingCarts", key: "CartID", id: op.cartId } as RowChange]),
        ...op.addressIds.map((id): RowChange => ({
          kind: "delete",
          table: "Addresses",
          key: "AddressID",
          id,
        })),
        { kind: "delete", table: "Customers", key: "CustomerID", id: op.customerId },
      ];
    case "addToCart":
      return [
        ...(op.newCartId === null ? [] : [
          {
            kind: "insert",
            table: "ShoppingCarts",
            row: { CartID: op.newCartId, CustomerID: op.customerId },
          } as RowChange,
        ]),
        op.item.existing
          ? {
            kind: "update",
            table: "CartItems",
            key: "CartItemID",
            id: op.item.cartItemId,
            set: { Quantity: op.item.quantity },
          }
          : {
            kind: "insert",
            table: "CartItems",
            row: {
              CartItemID: op.item.cartItemId,
              CartID: op.cartId,
              ProductID: op.item.productId,
              Quantity: op.item.quantity,
            },
          },
      ];
    case "newOrder":
      return [
        {
          kind: "insert",
          table: "Orders",
          row: {
            OrderID: op.orderId,
            OrderNumber: op.orderNumber,
            TotalAmount: op.total,
            StatusID: STATUS.Ordered,
            CustomerID: op.customerId,
          },
        },
        ...op.lines.map((l): RowChange => ({
          kind: "insert",
          table: "OrderItems",
          row: {
            OrderItemID: l.orderItemId,
            OrderID: op.orderId,
            ProductID: l.productId,
            Quantity: l.quantity,
            CurrentPrice: l.price,
          },
        })),
        ...op.lines.map((l) => stock(l.inventoryId, -l.quantity)),
        {
          kind: "insert",
          table: "Payments",
          row: {
            PaymentID: op.payment.paymentId,
            OrderID: op.orderId,
            PaymentMethodID: op.payment.methodId,
            Amount: op.total,
          },
        },
        ...op.cartItemIds.map((id): RowChange => ({
          kind: "delete",
          table: "CartItems",
          key: "CartItemID",
          id,
        })),
      ];
    case "shipOrder":
      return [status(op.orderId, STATUS.Shipped)];
    case "deliverOrder":
      return [status(op.orderId, STATUS.Delivered)];
    case "cancelOrder":
    case "returnOrder":
      return [
        status(op.orderId, op.kind === "cancelOrder" ? STATUS.Cancelled : STATUS.Returned),
        {
          kind: "insert",
          table: "Reasons",
          row: {
            ReasonID: op.reasonId,
            OrderID: op.orderId,
            ReasonType: op.kind === "cancelOrder" ? "Cancellation" : "Return",
            ReasonDescription: op.reason,
          },
        },
        ...op.restock.map((r) => stock(r.inventoryId, r.quantity)),
      ];
    case "changePrice":
      return [{
        kind: "update",
        table: "Products",
        key: "ProductID",
        id: op.productId,
        set: { Price: op.price },
      }];
    case "restock":
      return [stock(op.inventoryId, op.quantity)];
    case "review":
      return [{
        kind: "insert",
        table: "Reviews",
        row: {
          ReviewID: op.reviewId,
          ProductID: op.productId,
          CustomerID: op.customerId,
          Rating: op.rating,
          Comment: op.comment === "" ? null : op.comment,
        },
      }];
  }
}
