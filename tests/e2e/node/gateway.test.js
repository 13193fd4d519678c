// A second client language: Node's @grpc/grpc-js against the real gateway
// binary, with the repository's protos loaded statically (no reflection).
'use strict';

const assert = require('node:assert');
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const test = require('node:test');

const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const REPO = path.resolve(__dirname, '..', '..', '..');
const GATEWAY = process.env.AWSGW_GATEWAY ||
  path.join(REPO, 'build', 'gateway', 'aws-grpc-gateway');

// Starts the gateway on a free loopback port; resolves with {proc, address}.
function startGateway() {
  return new Promise((resolve, reject) => {
    const proc = spawn(GATEWAY, ['--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => { proc.kill(); reject(new Error('gateway did not start')); }, 30000);
    readline.createInterface({ input: proc.stderr }).on('line', (line) => {
      let event;
      try { event = JSON.parse(line); } catch { return; }
      if (event.msg === 'serving') {
        clearTimeout(timer);
        resolve({ proc, address: event.address });
      }
    });
    proc.on('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
}

function loadService(file, name) {
  const definition = loader.loadSync(file, {
    includeDirs: [path.join(REPO, 'proto')], keepCase: true, longs: String, enums: String,
    defaults: false, oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).aws[name.split('.')[1]].v1[name.split('.')[2]];
}

test('every ECS action is served and answers with a gRPC status', async (t) => {
  const { proc, address } = await startGateway();
  t.after(() => proc.kill('SIGTERM'));
  const EcsService = loadService('aws/ecs/v1/ecs.proto', 'aws.ecs.EcsService');
  const client = new EcsService(address, grpc.credentials.createInsecure());
  t.after(() => client.close());

  const methods = Object.keys(EcsService.service);
  assert.strictEqual(methods.length, 77);

  const error = await new Promise((resolve) => {
    client.ListClusters({ max_results: 5 }, { deadline: Date.now() + 10000 },
      (err) => resolve(err));
  });
  assert.ok(error, 'expected a status from the gateway');
  // This build registers every action but does not forward calls yet.
  assert.strictEqual(error.code, grpc.status.UNIMPLEMENTED);
  assert.match(error.details, /ListClusters/);
});

test('a restJson service loads and is served too', async (t) => {
  const { proc, address } = await startGateway();
  t.after(() => proc.kill('SIGTERM'));
  const AppConfigService = loadService('aws/appconfig/v1/appconfig.proto',
    'aws.appconfig.AppConfigService');
  const client = new AppConfigService(address, grpc.credentials.createInsecure());
  t.after(() => client.close());
  const error = await new Promise((resolve) => {
    client.GetApplication({ application_id: 'abc' }, { deadline: Date.now() + 10000 },
      (err) => resolve(err));
  });
  assert.strictEqual(error.code, grpc.status.UNIMPLEMENTED);
  assert.match(error.details, /GetApplication/);
});
