-- SQL Server change data capture for the Lakestream source (run by `deno task setup --dialect sqlserver` after
-- schema.sql; needs sysadmin for sp_cdc_enable_db and a running SQL Server Agent for the capture job).
-- Idempotent: the database and each table are enabled only when not yet enabled. Every captured table of
-- pipeline/catalog/ecommerce.ts is enabled; the Debezium connector's table.include.list names the same tables.
-- This file ends with GO and no newline on purpose: the batch splitter must keep that last batch (the original's
-- `\s+GO\s+` split dropped it, so its sp_cdc_enable_table calls never ran).

IF (SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()) = 0
  EXEC sys.sp_cdc_enable_db;
GO

IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Sellers') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Sellers', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Customers') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Customers', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.ProductCategories') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'ProductCategories', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Products') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Products', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.OrderStatus') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'OrderStatus', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Orders') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Orders', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Reasons') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Reasons', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.OrderItems') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'OrderItems', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.ShoppingCarts') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'ShoppingCarts', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.CartItems') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'CartItems', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.PaymentMethods') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'PaymentMethods', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Payments') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Payments', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Reviews') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Reviews', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Addresses') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Addresses', @role_name = NULL,
    @supports_net_changes = 0;
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Inventory') AND is_tracked_by_cdc = 1)
  EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Inventory', @role_name = NULL,
    @supports_net_changes = 0;
GO