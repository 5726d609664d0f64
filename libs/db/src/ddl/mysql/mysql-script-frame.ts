/**
 * Session settings a MySQL/MariaDB DDL script sets before its statements (as mysqldump does):
 * utf8mb4, UTC (`SHOW CREATE TABLE` prints TIMESTAMP defaults in the reading session's zone, which
 * is UTC), no foreign-key or unique checks (tables may reference tables created later, or outside
 * the script), a neutral SQL mode and no notes for `IF [NOT] EXISTS`. Each is restored by
 * {@link MYSQL_SCRIPT_EPILOGUE}.
 */
export const MYSQL_SCRIPT_PROLOGUE = [
  'SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT, @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS, @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION;',
  'SET NAMES utf8mb4;',
  "SET @OLD_TIME_ZONE=@@TIME_ZONE, TIME_ZONE='+00:00';",
  'SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;',
  'SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;',
  "SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO';",
  'SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0;',
  '',
].join('\n');

/** Restores what {@link MYSQL_SCRIPT_PROLOGUE} changed, in reverse order. */
export const MYSQL_SCRIPT_EPILOGUE = [
  'SET SQL_NOTES=@OLD_SQL_NOTES;',
  'SET SQL_MODE=@OLD_SQL_MODE;',
  'SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;',
  'SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS;',
  'SET TIME_ZONE=@OLD_TIME_ZONE;',
  'SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT, CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS, COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION;',
  '',
].join('\n');
