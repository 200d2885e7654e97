import type { PrimitiveType } from "../delta/schema/types.ts";
import { type ColumnDef, snakeCase, type TableDef } from "./table_def.ts";

// Compact column spec: "SourceName:type" with a trailing "?" when nullable. Lake names are derived by snakeCase.
function table(source: string, key: string, ...cols: string[]): TableDef {
  const columns: ColumnDef[] = cols.map((spec) => {
    const [col, rawType] = spec.split(":");
    const nullable = rawType.endsWith("?");
    return {
      source: col,
      name: snakeCase(col),
      type: (nullable ? rawType.slice(0, -1) : rawType) as PrimitiveType,
      nullable,
    };
  });
  return { source, name: snakeCase(source), key: [snakeCase(key)], columns };
}

const AUDIT = ["CreatedAt:timestamp", "UpdatedAt:timestamp"];
const MONEY = "decimal(18,2)";

/**
 * The e-commerce source schema of the original system (15 tables, same names), as captured into the lake.
 * Every table is captured; `Customers` feeds `customers_scd2`, the others are mirrored under their snake_case
 * names (`OrderItems` → `order_items`). The DDL in `sql/` must agree with this list (checked by tests).
 */
export const ECOMMERCE_TABLES: readonly TableDef[] = [
  table(
    "Sellers",
    "SellerID",
    "SellerID:integer",
    "Name:string",
    "Email:string?",
    "PhoneNumber:string?",
    ...AUDIT,
  ),
  table(
    "Customers",
    "CustomerID",
    "CustomerID:integer",
    "Name:string",
    "Email:string?",
    "PhoneNumber:string?",
    ...AUDIT,
  ),
  table(
    "ProductCategories",
    "CategoryID",
    "CategoryID:integer",
    "CategoryName:string",
    "CategoryDescription:string?",
    ...AUDIT,
  ),
  table(
    "Products",
    "ProductID",
    "ProductID:integer",
    "Name:string",
    "Description:string?",
    `Price:${MONEY}`,
    "CategoryID:integer?",
    "SellerID:integer?",
    ...AUDIT,
  ),
  table(
    "OrderStatus",
    "StatusID",
    "StatusID:integer",
    "StatusName:string",
    "StatusDescription:string?",
    ...AUDIT,
  ),
  table(
    "Orders",
    "OrderID",
    "OrderID:integer",
    "OrderNumber:string",
    `TotalAmount:${MONEY}`,
    "StatusID:integer",
    "CustomerID:integer?",
    ...AUDIT,
  ),
  table(
    "Reasons",
    "ReasonID",
    "ReasonID:integer",
    "OrderID:integer",
    "ReasonType:string",
    "ReasonDescription:string",
    ...AUDIT,
  ),
  table(
    "OrderItems",
    "OrderItemID",
    "OrderItemID:integer",
    "OrderID:integer",
    "ProductID:integer",
    "Quantity:integer",
    `CurrentPrice:${MONEY}`,
    ...AUDIT,
  ),
  table("ShoppingCarts", "CartID", "CartID:integer", "CustomerID:integer?", ...AUDIT),
  table(
    "CartItems",
    "CartItemID",
    "CartItemID:integer",
    "CartID:integer",
    "ProductID:integer",
    "Quantity:integer",
    ...AUDIT,
  ),
  table(
    "PaymentMethods",
    "PaymentMethodID",
    "PaymentMethodID:integer",
    "MethodName:string",
    "MethodDescription:string?",
    ...AUDIT,
  ),
  table(
    "Payments",
    "PaymentID",
    "PaymentID:integer",
    "OrderID:integer",
    "PaymentMethodID:integer",
    `Amount:${MONEY}`,
    ...AUDIT,
  ),
  table(
    "Reviews",
    "ReviewID",
    "ReviewID:integer",
    "ProductID:integer",
    "CustomerID:integer?",
    "Rating:integer",
    "Comment:string?",
    ...AUDIT,
  ),
  table(
    "Addresses",
    "AddressID",
    "AddressID:integer",
    "CustomerID:integer",
    "AddressLine:string?",
    "City:string?",
    "State:string?",
    "ZipCode:string?",
    "Country:string?",
    "IsBillingAddress:boolean",
    "IsShippingAddress:boolean",
    ...AUDIT,
  ),
  table(
    "Inventory",
    "InventoryID",
    "InventoryID:integer",
    "InventoryName:string",
    "ProductID:integer",
    "QuantityInStock:integer",
    "ReorderThreshold:integer",
    `UnitCost:${MONEY}`,
    ...AUDIT,
  ),
];
