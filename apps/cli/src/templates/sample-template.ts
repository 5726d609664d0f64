/**
 * The commented sample template `hfit pkg-example` prints: every prepare step and export type of
 * format v1, valid as it stands (a test parses it). Sources, volume and tables are examples: run
 * `hfit dbmss`, `hfit tables`, `hfit volumes` to see what your server offers.
 */
export const SAMPLE_TEMPLATE = `# hfit package template, format v1. Keep it in your repository under hfit-data/.
# Build it:    hfit pkg-build hfit-data/order_incident.yaml 42
# Check it:    hfit pkg validate hfit-data/order_incident.yaml 42 --remote
hfitVersion: 1                      # required, always 1
templateName: order_incident        # the name it is stored under on the server (hfit pkg-tmpl create)
projectName: shop                   # informational
packageName: order_$1               # package folder and archive name; $N = N-th argument, \${var} = a variable

# prepare: ordered steps, each sets one variable used below as \${name}.
prepare:
  - setVar: orderId                 # from the command line: $1 is the first argument
    from: input
    source: $1
  - setVar: customerId              # first column of the first row (no row = the build fails)
    from: hot-data
    hdata:
      type: dbquery
      dbms: shop_mysql              # a source of the server (hfit dbmss)
      query: "SELECT customer_id FROM shop.orders WHERE id = \${orderId}"   # variables are bound, never pasted
  - setVar: invoice                 # the name of one file found on a volume
    from: hot-data
    hdata:
      type: volume
      volume: invoices              # a volume of the server (hfit volumes)
      glob: "invoice_\${orderId}_*.txt"
      sort: "mtime|desc"            # mtime|name|size, asc|desc: the first file after sorting wins
      regex_replace: "/^invoice_(.*)\\\\.txt$/$1/"   # rewrites the chosen name into the value

# exports: each key is a file (or folder) of the package.
exports:
  shop.schema.sql:                  # CREATE DATABASE + DDL of every table of the listed databases
    type: dbcreate
    data: { dbms: shop_mysql, tablelist: [shop] }
  orders.create.sql:                # DDL of the listed tables; option: dropcreate | ifnotexists
    type: table-create
    data: { dbms: shop_mysql, tablelist: [shop.orders, shop.customers], option: dropcreate }
  customers.data.sql:               # rows matching the filter (WHERE optional), as INSERT statements
    type: table-data
    data: { dbms: shop_mysql, table: shop.customers, filter: "id = \${customerId}" }
  orders.data.sql:
    type: table-data
    data: { dbms: shop_mysql, table: shop.orders, filter: "customer_id = \${customerId} AND status <> 'draft'" }
  events.data.sql:                  # format: sql (default) | copy (PostgreSQL) | csv | ndjson
    type: table-data
    data: { dbms: shop_pg, table: analytics.events, filter: "order_id = \${orderId}", format: copy }
  invoice.txt:                      # one file from a volume
    type: file
    data: { volume: invoices, path: "invoice_\${invoice}.txt" }
  attachments:                      # every matching file, into this folder
    type: files
    data: { volume: invoices, glob: "attachments/\${orderId}/**" }
`;
