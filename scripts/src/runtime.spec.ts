import { expect } from 'chai';

describe('runtime', () => {
  it('runs on the Node the project installs (>= 22), not an older system Node', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `node ${process.version} at ${process.execPath}`).to.be.at.least(22);
  });
});
