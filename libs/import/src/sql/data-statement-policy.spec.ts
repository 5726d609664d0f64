import { expect } from 'chai';
import type { TargetDialect } from '../target/target-dialect.js';
import { dataStatementProblem } from './data-statement-policy.js';
import { statementHead } from './statement-head.js';

const problem = (dialect: TargetDialect, text: string, copy = false) => dataStatementProblem(statementHead(text, dialect), text, dialect, copy);

describe('dataStatementProblem', () => {
  it('allows what hfit data files hold', () => {
    expect(problem('mysql', "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */")).to.equal(undefined);
    expect(problem('mysql', 'INSERT INTO `t` (`a`) VALUES\n(1)')).to.equal(undefined);
    expect(problem('postgres', "SET DateStyle = 'ISO, YMD'")).to.equal(undefined);
    expect(problem('postgres', 'COPY "s"."t" ("a") FROM stdin', true)).to.equal(undefined);
  });

  it('refuses DDL, COPY from elsewhere, and SETs of server-wide state, roles or the check switch', () => {
    expect(problem('mysql', 'DROP TABLE `t`')).to.match(/may hold only SET, INSERT statements, not DROP/);
    expect(problem('mysql', 'SET GLOBAL foreign_key_checks = 0')).to.match(/SET GLOBAL is not allowed/);
    expect(problem('mysql', '/*!40101 SET @@GLOBAL.sql_mode = "" */')).to.match(/server-wide SET/);
    expect(problem('mysql', 'SET NAMES utf8mb4, GLOBAL max_connections = 1')).to.match(/server-wide SET/);
    expect(problem('postgres', "COPY t FROM PROGRAM 'id'")).to.match(/only COPY … FROM STDIN/);
    expect(problem('postgres', 'SET ROLE admin')).to.match(/SET ROLE/);
    expect(problem('postgres', 'SET SESSION AUTHORIZATION admin')).to.match(/SET AUTHORIZATION/);
    expect(problem('postgres', 'SET session_replication_role = origin')).to.match(/SESSION_REPLICATION_ROLE/);
  });
});
