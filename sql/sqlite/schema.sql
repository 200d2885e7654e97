-- Lakestream e-commerce source schema, SQLite dialect (the embedded default source).
--
-- The original system's 15 tables and column names (pipeline/catalog/ecommerce.ts lists them with their lake
-- types; a test checks this file agrees), with the constraints the original lacked: unique OrderNumber, stock
-- never negative, statuses referenced, foreign keys everywhere, value checks.
--
-- Conventions:
-- - STRICT tables: a value of the wrong type is an error, never silently converted.
-- - Money is TEXT holding a canonical non-negative decimal with exactly two places ("12.30"): SQLite has no
--   decimal type, and NUMERIC affinity would turn it into a binary float.
-- - Times are UTC text, ISO-8601 with milliseconds and a Z ("2025-07-26T10:15:00.123Z"), which sorts in time
--   order. Defaults use strftime('%Y-%m-%dT%H:%M:%fZ','now').
-- - Booleans are INTEGER 0/1.
-- - UpdatedAt is maintained by the change-capture update trigger that `deno task setup` creates per table
--   (scripts/setup/sqlite_capture.ts): SQLite triggers cannot change NEW, so the trigger logs the change with
--   the new UpdatedAt and touches the row in the same statement, which produces one change, not the original's
--   two.
-- - Idempotent: every statement is IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS Sellers (
  SellerID INTEGER PRIMARY KEY,
  Name TEXT NOT NULL CHECK (length(Name) BETWEEN 1 AND 100),
  Email TEXT CHECK (length(Email) <= 100),
  PhoneNumber TEXT CHECK (length(PhoneNumber) <= 20),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

CREATE TABLE IF NOT EXISTS Customers (
  CustomerID INTEGER PRIMARY KEY,
  Name TEXT NOT NULL CHECK (length(Name) BETWEEN 1 AND 100),
  Email TEXT CHECK (length(Email) <= 100),
  PhoneNumber TEXT CHECK (length(PhoneNumber) <= 20),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

CREATE TABLE IF NOT EXISTS ProductCategories (
  CategoryID INTEGER PRIMARY KEY,
  CategoryName TEXT NOT NULL UNIQUE CHECK (length(CategoryName) BETWEEN 1 AND 50),
  CategoryDescription TEXT,
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

CREATE TABLE IF NOT EXISTS Products (
  ProductID INTEGER PRIMARY KEY,
  Name TEXT NOT NULL CHECK (length(Name) BETWEEN 1 AND 100),
  Description TEXT,
  Price TEXT NOT NULL CHECK (
    Price GLOB '[0-9]*.[0-9][0-9]' AND Price NOT GLOB '*[^0-9.]*' AND Price NOT GLOB '*.*.*'
    AND Price NOT GLOB '0[0-9]*' AND length(Price) <= 19
  ),
  CategoryID INTEGER REFERENCES ProductCategories (CategoryID),
  SellerID INTEGER REFERENCES Sellers (SellerID),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_Products_CategoryID ON Products (CategoryID);
CREATE INDEX IF NOT EXISTS IX_Products_SellerID ON Products (SellerID);

CREATE TABLE IF NOT EXISTS OrderStatus (
  StatusID INTEGER PRIMARY KEY,
  StatusName TEXT NOT NULL UNIQUE CHECK (length(StatusName) BETWEEN 1 AND 50),
  StatusDescription TEXT,
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

CREATE TABLE IF NOT EXISTS Orders (
  OrderID INTEGER PRIMARY KEY,
  OrderNumber TEXT NOT NULL UNIQUE CHECK (length(OrderNumber) BETWEEN 1 AND 50),
  TotalAmount TEXT NOT NULL CHECK (
    TotalAmount GLOB '[0-9]*.[0-9][0-9]' AND TotalAmount NOT GLOB '*[^0-9.]*' AND TotalAmount NOT GLOB '*.*.*'
    AND TotalAmount NOT GLOB '0[0-9]*' AND length(TotalAmount) <= 19
  ),
  StatusID INTEGER NOT NULL DEFAULT 1 REFERENCES OrderStatus (StatusID),
  CustomerID INTEGER REFERENCES Customers (CustomerID),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_Orders_CustomerID ON Orders (CustomerID);
CREATE INDEX IF NOT EXISTS IX_Orders_StatusID ON Orders (StatusID);

CREATE TABLE IF NOT EXISTS Reasons (
  ReasonID INTEGER PRIMARY KEY,
  OrderID INTEGER NOT NULL REFERENCES Orders (OrderID),
  ReasonType TEXT NOT NULL CHECK (ReasonType IN ('Cancellation', 'Return')),
  ReasonDescription TEXT NOT NULL,
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_Reasons_OrderID ON Reasons (OrderID);

CREATE TABLE IF NOT EXISTS OrderItems (
  OrderItemID INTEGER PRIMARY KEY,
  OrderID INTEGER NOT NULL REFERENCES Orders (OrderID),
  ProductID INTEGER NOT NULL REFERENCES Products (ProductID),
  Quantity INTEGER NOT NULL CHECK (Quantity > 0),
  CurrentPrice TEXT NOT NULL CHECK (
    CurrentPrice GLOB '[0-9]*.[0-9][0-9]' AND CurrentPrice NOT GLOB '*[^0-9.]*' AND CurrentPrice NOT GLOB '*.*.*'
    AND CurrentPrice NOT GLOB '0[0-9]*' AND length(CurrentPrice) <= 19
  ),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_OrderItems_OrderID ON OrderItems (OrderID);
CREATE INDEX IF NOT EXISTS IX_OrderItems_ProductID ON OrderItems (ProductID);

CREATE TABLE IF NOT EXISTS ShoppingCarts (
  CartID INTEGER PRIMARY KEY,
  CustomerID INTEGER UNIQUE REFERENCES Customers (CustomerID),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

CREATE TABLE IF NOT EXISTS CartItems (
  CartItemID INTEGER PRIMARY KEY,
  CartID INTEGER NOT NULL REFERENCES ShoppingCarts (CartID),
  ProductID INTEGER NOT NULL REFERENCES Products (ProductID),
  Quantity INTEGER NOT NULL CHECK (Quantity > 0),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (CartID, ProductID)
) STRICT;
CREATE INDEX IF NOT EXISTS IX_CartItems_ProductID ON CartItems (ProductID);

CREATE TABLE IF NOT EXISTS PaymentMethods (
  PaymentMethodID INTEGER PRIMARY KEY,
  MethodName TEXT NOT NULL UNIQUE CHECK (length(MethodName) BETWEEN 1 AND 50),
  MethodDescription TEXT,
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

CREATE TABLE IF NOT EXISTS Payments (
  PaymentID INTEGER PRIMARY KEY,
  OrderID INTEGER NOT NULL REFERENCES Orders (OrderID),
  PaymentMethodID INTEGER NOT NULL REFERENCES PaymentMethods (PaymentMethodID),
  Amount TEXT NOT NULL CHECK (
    Amount GLOB '[0-9]*.[0-9][0-9]' AND Amount NOT GLOB '*[^0-9.]*' AND Amount NOT GLOB '*.*.*'
    AND Amount NOT GLOB '0[0-9]*' AND length(Amount) <= 19
  ),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_Payments_OrderID ON Payments (OrderID);
CREATE INDEX IF NOT EXISTS IX_Payments_PaymentMethodID ON Payments (PaymentMethodID);

CREATE TABLE IF NOT EXISTS Reviews (
  ReviewID INTEGER PRIMARY KEY,
  ProductID INTEGER NOT NULL REFERENCES Products (ProductID),
  CustomerID INTEGER REFERENCES Customers (CustomerID),
  Rating INTEGER NOT NULL CHECK (Rating BETWEEN 1 AND 5),
  Comment TEXT,
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_Reviews_ProductID ON Reviews (ProductID);
CREATE INDEX IF NOT EXISTS IX_Reviews_CustomerID ON Reviews (CustomerID);

CREATE TABLE IF NOT EXISTS Addresses (
  AddressID INTEGER PRIMARY KEY,
  CustomerID INTEGER NOT NULL REFERENCES Customers (CustomerID),
  AddressLine TEXT CHECK (length(AddressLine) <= 100),
  City TEXT CHECK (length(City) <= 50),
  State TEXT CHECK (length(State) <= 50),
  ZipCode TEXT CHECK (length(ZipCode) <= 20),
  Country TEXT CHECK (length(Country) <= 50),
  IsBillingAddress INTEGER NOT NULL DEFAULT 0 CHECK (IsBillingAddress IN (0, 1)),
  IsShippingAddress INTEGER NOT NULL DEFAULT 0 CHECK (IsShippingAddress IN (0, 1)),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;
CREATE INDEX IF NOT EXISTS IX_Addresses_CustomerID ON Addresses (CustomerID);

CREATE TABLE IF NOT EXISTS Inventory (
  InventoryID INTEGER PRIMARY KEY,
  InventoryName TEXT NOT NULL CHECK (length(InventoryName) BETWEEN 1 AND 50),
  ProductID INTEGER NOT NULL REFERENCES Products (ProductID),
  QuantityInStock INTEGER NOT NULL CHECK (QuantityInStock >= 0),
  ReorderThreshold INTEGER NOT NULL CHECK (ReorderThreshold >= 0),
  UnitCost TEXT NOT NULL CHECK (
    UnitCost GLOB '[0-9]*.[0-9][0-9]' AND UnitCost NOT GLOB '*[^0-9.]*' AND UnitCost NOT GLOB '*.*.*'
    AND UnitCost NOT GLOB '0[0-9]*' AND length(UnitCost) <= 19
  ),
  CreatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (CreatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UpdatedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    CHECK (UpdatedAt GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (ProductID, InventoryName)
) STRICT;

-- The ordered change log the SQLite CDC reader follows (format agreed with pipeline/cdc): one row per row
-- change, in commit order. before/after are json_object()s of every column under its source name (NULL before
-- for 'c', NULL after for 'd'); integers are numbers, money TEXT ("12.30"), times ISO-8601 text with Z, booleans
-- 0/1. Filled by the capture triggers that setup creates.
CREATE TABLE IF NOT EXISTS _changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('c', 'u', 'd')),
  before TEXT,
  after TEXT,
  committed_at TEXT NOT NULL
);
