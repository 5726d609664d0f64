-- Demo "shop" database for `npm run demo` (MariaDB/MySQL). Deterministic: same rows every run.
DROP DATABASE IF EXISTS shop;
CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE shop;

CREATE TABLE customers (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(190) NOT NULL UNIQUE,
  full_name VARCHAR(120) NOT NULL,
  country CHAR(2) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  notes TEXT NULL
) ENGINE=InnoDB;

CREATE TABLE products (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sku VARCHAR(32) NOT NULL UNIQUE,
  title VARCHAR(200) NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  attributes JSON NULL
) ENGINE=InnoDB;

CREATE TABLE orders (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT UNSIGNED NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL,
  `key` VARCHAR(16) NOT NULL COMMENT 'external order key (a reserved word, on purpose)',
  total DECIMAL(12,2) NOT NULL,
  placed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
  KEY ix_orders_status (status)
) ENGINE=InnoDB;

CREATE TABLE order_items (
  order_id INT UNSIGNED NOT NULL,
  line_no SMALLINT UNSIGNED NOT NULL,
  product_id INT UNSIGNED NOT NULL,
  quantity INT NOT NULL,
  unit_price DECIMAL(12,2) NOT NULL,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB;

INSERT INTO customers (id, email, full_name, country, created_at, notes)
SELECT seq, CONCAT('customer', seq, '@example.test'), CONCAT('Customer ', seq, IF(seq % 7 = 0, ' "VIP"', '')),
       ELT(1 + seq % 4, 'IT', 'DE', 'FR', 'US'), TIMESTAMP('2024-01-01 08:00:00') + INTERVAL seq HOUR,
       IF(seq % 5 = 0, NULL, CONCAT('note for ', seq, ' — ünïcødé ✓'))
FROM seq_1_to_50;

INSERT INTO products (id, sku, title, price, attributes)
SELECT seq, CONCAT('SKU-', LPAD(seq, 4, '0')), CONCAT('Product ', seq), ROUND(seq * 3.75, 2),
       IF(seq % 3 = 0, NULL, JSON_OBJECT('color', ELT(1 + seq % 3, 'red', 'green', 'blue'), 'weight', seq))
FROM seq_1_to_20;

INSERT INTO orders (id, customer_id, status, `key`, total, placed_at)
SELECT seq, 1 + (seq * 7) % 50, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'), CONCAT('K', seq * 13),
       0, TIMESTAMP('2024-03-01 10:00:00') + INTERVAL seq * 90 MINUTE
FROM seq_1_to_200;

INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
SELECT o.seq, l.seq, 1 + (o.seq + l.seq) % 20, 1 + (o.seq * l.seq) % 5, ROUND((1 + (o.seq + l.seq) % 20) * 3.75, 2)
FROM seq_1_to_200 o JOIN seq_1_to_3 l ON l.seq <= 1 + o.seq % 3;

UPDATE orders o SET total = (SELECT SUM(quantity * unit_price) FROM order_items i WHERE i.order_id = o.id);
