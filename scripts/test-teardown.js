// Jest global teardown: stops what scripts/test-setup.js started.
module.exports = async () => {
  const environment = globalThis.__gatehouseTestEnvironment;
  if (!environment) return;
  const { app, databases, databaseServer } = environment;
  if (app.child.exitCode === null) {
    const exited = new Promise((resolve) => app.child.once('exit', resolve));
    app.child.kill('SIGTERM');
    await exited;
  }
  for (const database of databases) await database.drop();
  await databaseServer.stop();
};
