const fs = require('node:fs');

// Jest global teardown: stops what scripts/test-setup.js started.
module.exports = async () => {
  const environment = globalThis.__gatehouseTestEnvironment;
  if (!environment) return;
  const { app, databases, databaseServer, dns } = environment;
  if (app.child.exitCode === null) {
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.kill('SIGTERM');
    await exited;
  }
  await app.social.stop();
  await dns.close();
  fs.rmSync(dns.recordsDir, { recursive: true, force: true });
  for (const database of databases) await database.drop();
  await databaseServer.stop();
};
