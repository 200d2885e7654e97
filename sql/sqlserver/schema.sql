-- Lakestream e-commerce source schema, SQL Server (T-SQL) dialect, database testdb as in the original.
--
-- The original system's 15 tables and column names (pipeline/catalog/ecommerce.ts; a test checks agreement),
-- with the constraints the original lacked: unique OrderNumber, stock never negative, statuses referenced,
-- foreign keys, value checks.
--
-- Conventions:
-- - Batches are separated by lines holding only GO; scripts/setup splits on them (including a last GO with no
--   newline after it, which the original's `\s+GO\s+` split missed).
-- - Keys are INT with a per-table SEQUENCE default instead of IDENTITY, so the seeder and the faker can insert
--   the keys they decide (deterministically) without SET IDENTITY_INSERT; setup and the faker restart each
--   sequence past the largest key afterwards.
-- - Times are DATETIME2(3) in UTC (SYSUTCDATETIME(); the original's GETDATE() wrote server local time that
--   Debezium then reported as UTC). Debezium emits them as io.debezium.time.Timestamp (epoch ms).
-- - UpdatedAt: SQL Server has no BEFORE triggers. Writers set UpdatedAt in the same UPDATE statement (one CDC
--   row); the AFTER trigger then returns at once (UPDATE(UpdatedAt)) and only touches rows for statements that
--   did not set it (those still produce two CDC rows, as in the original).
-- - Change capture (sp_cdc_enable_db / sp_cdc_enable_table) is in capture.sql, run by `deno task setup`.
-- - Idempotent: objects are created only when missing; triggers use CREATE OR ALTER.

IF OBJECT_ID(N'dbo.Sellers_SellerID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Sellers_SellerID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Sellers', N'U') IS NULL
CREATE TABLE dbo.Sellers (
  SellerID INT NOT NULL CONSTRAINT DF_Sellers_SellerID DEFAULT (NEXT VALUE FOR dbo.Sellers_SellerID_seq) CONSTRAINT PK_Sellers PRIMARY KEY,
  Name NVARCHAR(100) NOT NULL CHECK (Name <> N''),
  Email NVARCHAR(100) NULL,
  PhoneNumber VARCHAR(20) NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Sellers_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Sellers_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

CREATE OR ALTER TRIGGER dbo.trg_Sellers_Update ON dbo.Sellers AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Sellers AS t JOIN inserted AS i ON t.SellerID = i.SellerID;
END;
GO

IF OBJECT_ID(N'dbo.Customers_CustomerID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Customers_CustomerID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Customers', N'U') IS NULL
CREATE TABLE dbo.Customers (
  CustomerID INT NOT NULL CONSTRAINT DF_Customers_CustomerID DEFAULT (NEXT VALUE FOR dbo.Customers_CustomerID_seq) CONSTRAINT PK_Customers PRIMARY KEY,
  Name NVARCHAR(100) NOT NULL CHECK (Name <> N''),
  Email NVARCHAR(100) NULL,
  PhoneNumber VARCHAR(20) NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Customers_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Customers_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

CREATE OR ALTER TRIGGER dbo.trg_Customers_Update ON dbo.Customers AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Customers AS t JOIN inserted AS i ON t.CustomerID = i.CustomerID;
END;
GO

IF OBJECT_ID(N'dbo.ProductCategories_CategoryID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.ProductCategories_CategoryID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.ProductCategories', N'U') IS NULL
CREATE TABLE dbo.ProductCategories (
  CategoryID INT NOT NULL CONSTRAINT DF_ProductCategories_CategoryID DEFAULT (NEXT VALUE FOR dbo.ProductCategories_CategoryID_seq) CONSTRAINT PK_ProductCategories PRIMARY KEY,
  CategoryName NVARCHAR(50) NOT NULL CONSTRAINT UQ_ProductCategories_CategoryName UNIQUE CHECK (CategoryName <> N''),
  CategoryDescription NVARCHAR(MAX) NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_ProductCategories_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_ProductCategories_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

CREATE OR ALTER TRIGGER dbo.trg_ProductCategories_Update ON dbo.ProductCategories AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.ProductCategories AS t JOIN inserted AS i ON t.CategoryID = i.CategoryID;
END;
GO

IF OBJECT_ID(N'dbo.Products_ProductID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Products_ProductID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Products', N'U') IS NULL
CREATE TABLE dbo.Products (
  ProductID INT NOT NULL CONSTRAINT DF_Products_ProductID DEFAULT (NEXT VALUE FOR dbo.Products_ProductID_seq) CONSTRAINT PK_Products PRIMARY KEY,
  Name NVARCHAR(100) NOT NULL CHECK (Name <> N''),
  Description NVARCHAR(MAX) NULL,
  Price DECIMAL(18, 2) NOT NULL CHECK (Price >= 0),
  CategoryID INT NULL CONSTRAINT FK_Products_CategoryID REFERENCES dbo.ProductCategories (CategoryID),
  SellerID INT NULL CONSTRAINT FK_Products_SellerID REFERENCES dbo.Sellers (SellerID),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Products_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Products_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Products_CategoryID')
  CREATE INDEX IX_Products_CategoryID ON dbo.Products (CategoryID);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Products_SellerID')
  CREATE INDEX IX_Products_SellerID ON dbo.Products (SellerID);
GO

CREATE OR ALTER TRIGGER dbo.trg_Products_Update ON dbo.Products AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Products AS t JOIN inserted AS i ON t.ProductID = i.ProductID;
END;
GO

IF OBJECT_ID(N'dbo.OrderStatus_StatusID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.OrderStatus_StatusID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.OrderStatus', N'U') IS NULL
CREATE TABLE dbo.OrderStatus (
  StatusID INT NOT NULL CONSTRAINT DF_OrderStatus_StatusID DEFAULT (NEXT VALUE FOR dbo.OrderStatus_StatusID_seq) CONSTRAINT PK_OrderStatus PRIMARY KEY,
  StatusName NVARCHAR(50) NOT NULL CONSTRAINT UQ_OrderStatus_StatusName UNIQUE CHECK (StatusName <> N''),
  StatusDescription NVARCHAR(MAX) NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_OrderStatus_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_OrderStatus_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

CREATE OR ALTER TRIGGER dbo.trg_OrderStatus_Update ON dbo.OrderStatus AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.OrderStatus AS t JOIN inserted AS i ON t.StatusID = i.StatusID;
END;
GO

IF OBJECT_ID(N'dbo.Orders_OrderID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Orders_OrderID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Orders', N'U') IS NULL
CREATE TABLE dbo.Orders (
  OrderID INT NOT NULL CONSTRAINT DF_Orders_OrderID DEFAULT (NEXT VALUE FOR dbo.Orders_OrderID_seq) CONSTRAINT PK_Orders PRIMARY KEY,
  OrderNumber NVARCHAR(50) NOT NULL CONSTRAINT UQ_Orders_OrderNumber UNIQUE CHECK (OrderNumber <> N''),
  TotalAmount DECIMAL(18, 2) NOT NULL CHECK (TotalAmount >= 0),
  StatusID INT NOT NULL CONSTRAINT DF_Orders_StatusID DEFAULT 1 CONSTRAINT FK_Orders_StatusID REFERENCES dbo.OrderStatus (StatusID),
  CustomerID INT NULL CONSTRAINT FK_Orders_CustomerID REFERENCES dbo.Customers (CustomerID),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Orders_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Orders_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Orders_CustomerID')
  CREATE INDEX IX_Orders_CustomerID ON dbo.Orders (CustomerID);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Orders_StatusID')
  CREATE INDEX IX_Orders_StatusID ON dbo.Orders (StatusID);
GO

CREATE OR ALTER TRIGGER dbo.trg_Orders_Update ON dbo.Orders AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Orders AS t JOIN inserted AS i ON t.OrderID = i.OrderID;
END;
GO

IF OBJECT_ID(N'dbo.Reasons_ReasonID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Reasons_ReasonID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Reasons', N'U') IS NULL
CREATE TABLE dbo.Reasons (
  ReasonID INT NOT NULL CONSTRAINT DF_Reasons_ReasonID DEFAULT (NEXT VALUE FOR dbo.Reasons_ReasonID_seq) CONSTRAINT PK_Reasons PRIMARY KEY,
  OrderID INT NOT NULL CONSTRAINT FK_Reasons_OrderID REFERENCES dbo.Orders (OrderID),
  ReasonType NVARCHAR(20) NOT NULL CHECK (ReasonType IN (N'Cancellation', N'Return')),
  ReasonDescription NVARCHAR(MAX) NOT NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Reasons_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Reasons_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Reasons_OrderID')
  CREATE INDEX IX_Reasons_OrderID ON dbo.Reasons (OrderID);
GO

CREATE OR ALTER TRIGGER dbo.trg_Reasons_Update ON dbo.Reasons AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Reasons AS t JOIN inserted AS i ON t.ReasonID = i.ReasonID;
END;
GO

IF OBJECT_ID(N'dbo.OrderItems_OrderItemID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.OrderItems_OrderItemID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.OrderItems', N'U') IS NULL
CREATE TABLE dbo.OrderItems (
  OrderItemID INT NOT NULL CONSTRAINT DF_OrderItems_OrderItemID DEFAULT (NEXT VALUE FOR dbo.OrderItems_OrderItemID_seq) CONSTRAINT PK_OrderItems PRIMARY KEY,
  OrderID INT NOT NULL CONSTRAINT FK_OrderItems_OrderID REFERENCES dbo.Orders (OrderID),
  ProductID INT NOT NULL CONSTRAINT FK_OrderItems_ProductID REFERENCES dbo.Products (ProductID),
  Quantity INT NOT NULL CHECK (Quantity > 0),
  CurrentPrice DECIMAL(18, 2) NOT NULL CHECK (CurrentPrice >= 0),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_OrderItems_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_OrderItems_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_OrderItems_OrderID')
  CREATE INDEX IX_OrderItems_OrderID ON dbo.OrderItems (OrderID);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_OrderItems_ProductID')
  CREATE INDEX IX_OrderItems_ProductID ON dbo.OrderItems (ProductID);
GO

CREATE OR ALTER TRIGGER dbo.trg_OrderItems_Update ON dbo.OrderItems AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.OrderItems AS t JOIN inserted AS i ON t.OrderItemID = i.OrderItemID;
END;
GO

IF OBJECT_ID(N'dbo.ShoppingCarts_CartID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.ShoppingCarts_CartID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.ShoppingCarts', N'U') IS NULL
CREATE TABLE dbo.ShoppingCarts (
  CartID INT NOT NULL CONSTRAINT DF_ShoppingCarts_CartID DEFAULT (NEXT VALUE FOR dbo.ShoppingCarts_CartID_seq) CONSTRAINT PK_ShoppingCarts PRIMARY KEY,
  CustomerID INT NULL CONSTRAINT FK_ShoppingCarts_CustomerID REFERENCES dbo.Customers (CustomerID),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_ShoppingCarts_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_ShoppingCarts_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_ShoppingCarts_CustomerID')
  CREATE UNIQUE INDEX UX_ShoppingCarts_CustomerID ON dbo.ShoppingCarts (CustomerID) WHERE CustomerID IS NOT NULL;
GO

CREATE OR ALTER TRIGGER dbo.trg_ShoppingCarts_Update ON dbo.ShoppingCarts AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.ShoppingCarts AS t JOIN inserted AS i ON t.CartID = i.CartID;
END;
GO

IF OBJECT_ID(N'dbo.CartItems_CartItemID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.CartItems_CartItemID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.CartItems', N'U') IS NULL
CREATE TABLE dbo.CartItems (
  CartItemID INT NOT NULL CONSTRAINT DF_CartItems_CartItemID DEFAULT (NEXT VALUE FOR dbo.CartItems_CartItemID_seq) CONSTRAINT PK_CartItems PRIMARY KEY,
  CartID INT NOT NULL CONSTRAINT FK_CartItems_CartID REFERENCES dbo.ShoppingCarts (CartID),
  ProductID INT NOT NULL CONSTRAINT FK_CartItems_ProductID REFERENCES dbo.Products (ProductID),
  Quantity INT NOT NULL CHECK (Quantity > 0),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_CartItems_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_CartItems_UpdatedAt DEFAULT SYSUTCDATETIME(),
  CONSTRAINT UQ_CartItems_CartID_ProductID UNIQUE (CartID, ProductID)
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CartItems_ProductID')
  CREATE INDEX IX_CartItems_ProductID ON dbo.CartItems (ProductID);
GO

CREATE OR ALTER TRIGGER dbo.trg_CartItems_Update ON dbo.CartItems AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.CartItems AS t JOIN inserted AS i ON t.CartItemID = i.CartItemID;
END;
GO

IF OBJECT_ID(N'dbo.PaymentMethods_PaymentMethodID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.PaymentMethods_PaymentMethodID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.PaymentMethods', N'U') IS NULL
CREATE TABLE dbo.PaymentMethods (
  PaymentMethodID INT NOT NULL CONSTRAINT DF_PaymentMethods_PaymentMethodID DEFAULT (NEXT VALUE FOR dbo.PaymentMethods_PaymentMethodID_seq) CONSTRAINT PK_PaymentMethods PRIMARY KEY,
  MethodName NVARCHAR(50) NOT NULL CONSTRAINT UQ_PaymentMethods_MethodName UNIQUE CHECK (MethodName <> N''),
  MethodDescription NVARCHAR(MAX) NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_PaymentMethods_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_PaymentMethods_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

CREATE OR ALTER TRIGGER dbo.trg_PaymentMethods_Update ON dbo.PaymentMethods AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.PaymentMethods AS t JOIN inserted AS i ON t.PaymentMethodID = i.PaymentMethodID;
END;
GO

IF OBJECT_ID(N'dbo.Payments_PaymentID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Payments_PaymentID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Payments', N'U') IS NULL
CREATE TABLE dbo.Payments (
  PaymentID INT NOT NULL CONSTRAINT DF_Payments_PaymentID DEFAULT (NEXT VALUE FOR dbo.Payments_PaymentID_seq) CONSTRAINT PK_Payments PRIMARY KEY,
  OrderID INT NOT NULL CONSTRAINT FK_Payments_OrderID REFERENCES dbo.Orders (OrderID),
  PaymentMethodID INT NOT NULL CONSTRAINT FK_Payments_PaymentMethodID REFERENCES dbo.PaymentMethods (PaymentMethodID),
  Amount DECIMAL(18, 2) NOT NULL CHECK (Amount >= 0),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Payments_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Payments_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Payments_OrderID')
  CREATE INDEX IX_Payments_OrderID ON dbo.Payments (OrderID);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Payments_PaymentMethodID')
  CREATE INDEX IX_Payments_PaymentMethodID ON dbo.Payments (PaymentMethodID);
GO

CREATE OR ALTER TRIGGER dbo.trg_Payments_Update ON dbo.Payments AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Payments AS t JOIN inserted AS i ON t.PaymentID = i.PaymentID;
END;
GO

IF OBJECT_ID(N'dbo.Reviews_ReviewID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Reviews_ReviewID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Reviews', N'U') IS NULL
CREATE TABLE dbo.Reviews (
  ReviewID INT NOT NULL CONSTRAINT DF_Reviews_ReviewID DEFAULT (NEXT VALUE FOR dbo.Reviews_ReviewID_seq) CONSTRAINT PK_Reviews PRIMARY KEY,
  ProductID INT NOT NULL CONSTRAINT FK_Reviews_ProductID REFERENCES dbo.Products (ProductID),
  CustomerID INT NULL CONSTRAINT FK_Reviews_CustomerID REFERENCES dbo.Customers (CustomerID),
  Rating INT NOT NULL CHECK (Rating BETWEEN 1 AND 5),
  Comment NVARCHAR(MAX) NULL,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Reviews_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Reviews_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Reviews_ProductID')
  CREATE INDEX IX_Reviews_ProductID ON dbo.Reviews (ProductID);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Reviews_CustomerID')
  CREATE INDEX IX_Reviews_CustomerID ON dbo.Reviews (CustomerID);
GO

CREATE OR ALTER TRIGGER dbo.trg_Reviews_Update ON dbo.Reviews AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Reviews AS t JOIN inserted AS i ON t.ReviewID = i.ReviewID;
END;
GO

IF OBJECT_ID(N'dbo.Addresses_AddressID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Addresses_AddressID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Addresses', N'U') IS NULL
CREATE TABLE dbo.Addresses (
  AddressID INT NOT NULL CONSTRAINT DF_Addresses_AddressID DEFAULT (NEXT VALUE FOR dbo.Addresses_AddressID_seq) CONSTRAINT PK_Addresses PRIMARY KEY,
  CustomerID INT NOT NULL CONSTRAINT FK_Addresses_CustomerID REFERENCES dbo.Customers (CustomerID),
  AddressLine NVARCHAR(100) NULL,
  City NVARCHAR(50) NULL,
  State NVARCHAR(50) NULL,
  ZipCode VARCHAR(20) NULL,
  Country NVARCHAR(50) NULL,
  IsBillingAddress BIT NOT NULL CONSTRAINT DF_Addresses_IsBillingAddress DEFAULT 0,
  IsShippingAddress BIT NOT NULL CONSTRAINT DF_Addresses_IsShippingAddress DEFAULT 0,
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Addresses_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Addresses_UpdatedAt DEFAULT SYSUTCDATETIME()
);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Addresses_CustomerID')
  CREATE INDEX IX_Addresses_CustomerID ON dbo.Addresses (CustomerID);
GO

CREATE OR ALTER TRIGGER dbo.trg_Addresses_Update ON dbo.Addresses AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Addresses AS t JOIN inserted AS i ON t.AddressID = i.AddressID;
END;
GO

IF OBJECT_ID(N'dbo.Inventory_InventoryID_seq', N'SO') IS NULL
  CREATE SEQUENCE dbo.Inventory_InventoryID_seq AS INT START WITH 1 INCREMENT BY 1;
GO

IF OBJECT_ID(N'dbo.Inventory', N'U') IS NULL
CREATE TABLE dbo.Inventory (
  InventoryID INT NOT NULL CONSTRAINT DF_Inventory_InventoryID DEFAULT (NEXT VALUE FOR dbo.Inventory_InventoryID_seq) CONSTRAINT PK_Inventory PRIMARY KEY,
  InventoryName NVARCHAR(50) NOT NULL CHECK (InventoryName <> N''),
  ProductID INT NOT NULL CONSTRAINT FK_Inventory_ProductID REFERENCES dbo.Products (ProductID),
  QuantityInStock INT NOT NULL CONSTRAINT CK_Inventory_QuantityInStock CHECK (QuantityInStock >= 0),
  ReorderThreshold INT NOT NULL CHECK (ReorderThreshold >= 0),
  UnitCost DECIMAL(18, 2) NOT NULL CHECK (UnitCost >= 0),
  CreatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Inventory_CreatedAt DEFAULT SYSUTCDATETIME(),
  UpdatedAt DATETIME2(3) NOT NULL CONSTRAINT DF_Inventory_UpdatedAt DEFAULT SYSUTCDATETIME(),
  CONSTRAINT UQ_Inventory_ProductID_InventoryName UNIQUE (ProductID, InventoryName)
);
GO

CREATE OR ALTER TRIGGER dbo.trg_Inventory_Update ON dbo.Inventory AFTER UPDATE AS
BEGIN
  SET NOCOUNT ON;
  -- The statement set UpdatedAt itself (as the faker does): nothing to touch, and no second CDC row.
  IF UPDATE(UpdatedAt) RETURN;
  UPDATE t SET UpdatedAt = SYSUTCDATETIME()
  FROM dbo.Inventory AS t JOIN inserted AS i ON t.InventoryID = i.InventoryID;
END;
GO
