// A second client language: Node's @grpc/grpc-js against the real gateway
// binary, with the repository's protos loaded statically (no reflection). A
// small HTTP server in this process plays AWS (signature checks are the
// Python end-to-end tests' job).
'use strict';

const assert = require('node:assert');
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const readline = require('node:readline');
const test = require('node:test');

const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const REPO = path.resolve(__dirname, '..', '..', '..');
const GATEWAY = process.env.AWSGW_GATEWAY ||
  path.join(REPO, 'build', 'gateway', 'aws-grpc-gateway');

// A loopback server answering every request with `reply(request, body)`.
function fakeAws(reply) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const { status, json } = reply(req, body);
      const data = JSON.stringify(json);
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': Buffer.byteLength(data), 'x-amzn-RequestId': 'node-req-1' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1',
    () => resolve({ server, seen, url: `http://127.0.0.1:${server.address().port}` })));
}

// Starts the gateway on a free loopback port; resolves with {proc, address}.
function startGateway(env) {
  return new Promise((resolve, reject) => {
    const proc = spawn(GATEWAY, ['--listen', '127.0.0.1:0'],
      { stdio: ['ignore', 'ignore', 'pipe'], env });
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

function loadEcs() {
  const definition = loader.loadSync('aws/ecs/v1/ecs.proto', {
    includeDirs: [path.join(REPO, 'proto')], keepCase: true, longs: String, enums: String,
    defaults: false, oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).aws.ecs.v1.EcsService;
}

test('an ECS action called from grpc-js reaches AWS and comes back typed', async (t) => {
  const aws = await fakeAws(() => ({
    status: 200,
    json: { clusters: [{ clusterName: 'prod', status: 'ACTIVE', runningTasksCount: 3 }], failures: [] },
  }));
  t.after(() => aws.server.close());
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDNODE', AWS_SECRET_ACCESS_KEY: 'node-secret',
    AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: aws.url };
  const { proc, address } = await startGateway(env);
  t.after(() => proc.kill('SIGTERM'));
  const EcsService = loadEcs();
  assert.strictEqual(Object.keys(EcsService.service).length, 77);
  const client = new EcsService(address, grpc.credentials.createInsecure());
  t.after(() => client.close());

  const response = await new Promise((resolve, reject) => {
    client.DescribeClusters({ clusters: ['prod'] }, { deadline: Date.now() + 10000 },
      (err, res) => (err ? reject(err) : resolve(res)));
  });
  assert.strictEqual(response.clusters[0].cluster_name, 'prod');
  assert.strictEqual(response.clusters[0].running_tasks_count, 3);
  assert.strictEqual(aws.seen.length, 1);
  const req = aws.seen[0];
  assert.strictEqual(req.headers['x-amz-target'], 'AmazonEC2ContainerServiceV20141113.DescribeClusters');
  assert.match(req.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDNODE\/\d{8}\/eu-west-1\/ecs\/aws4_request/);
  assert.deepStrictEqual(JSON.parse(req.body), { clusters: ['prod'] });
});

test('an AWS error arrives as a gRPC status', async (t) => {
  const aws = await fakeAws(() => ({
    status: 400, json: { __type: 'ClusterNotFoundException', message: 'Cluster not found.' },
  }));
  t.after(() => aws.server.close());
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDNODE', AWS_SECRET_ACCESS_KEY: 'node-secret',
    AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: aws.url };
  const { proc, address } = await startGateway(env);
  t.after(() => proc.kill('SIGTERM'));
  const client = new (loadEcs())(address, grpc.credentials.createInsecure());
  t.after(() => client.close());
  const error = await new Promise((resolve) => {
    client.ListServices({ cluster: 'nope' }, { deadline: Date.now() + 10000 }, (err) => resolve(err));
  });
  assert.strictEqual(error.code, grpc.status.NOT_FOUND);
  assert.match(error.details, /Cluster not found/);
});

test('a watch stream from grpc-js: snapshot, change, terminal', async (t) => {
  let polls = 0;
  const aws = await fakeAws((req, body) => {
    polls += 1;
    const { cluster, tasks } = JSON.parse(body);
    const lastStatus = polls === 1 ? 'PENDING' : 'RUNNING';
    return { status: 200, json: { failures: [], tasks: tasks.map((task) => ({
      taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/${cluster}/${task}`, lastStatus })) } };
  });
  t.after(() => aws.server.close());
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDNODE', AWS_SECRET_ACCESS_KEY: 'node-secret',
    AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: aws.url };
  const { proc, address } = await startGateway(env);
  t.after(() => proc.kill('SIGTERM'));
  const definition = loader.loadSync('awsgw/watch/v1/watch.proto', {
    includeDirs: [path.join(REPO, 'proto')], keepCase: true, longs: String, enums: String,
    defaults: false, oneofs: true,
  });
  const WatchService = grpc.loadPackageDefinition(definition).awsgw.watch.v1.WatchService;
  const client = new WatchService(address, grpc.credentials.createInsecure());
  t.after(() => client.close());

  const updates = await new Promise((resolve, reject) => {
    const received = [];
    const call = client.WatchEcsTask({ cluster: 'prod', task: 't1', goal: 'ECS_TASK_GOAL_RUNNING' },
      { deadline: Date.now() + 30000 });
    call.on('data', (update) => received.push(update));
    call.on('error', reject);
    call.on('end', () => resolve(received));
  });
  assert.deepStrictEqual(updates.map((u) => [u.kind, u.status]),
    [['KIND_SNAPSHOT', 'PENDING'], ['KIND_CHANGE', 'RUNNING']]);
  assert.strictEqual(updates[1].terminal, true);
  assert.strictEqual(updates[1].outcome, 'OUTCOME_SUCCEEDED');
  assert.strictEqual(updates[1].ecs_task.task_arn, 'arn:aws:ecs:eu-west-1:123456789012:task/prod/t1');
  assert.strictEqual(polls, 2);
});
