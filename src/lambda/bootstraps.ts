/*
 * The two runtimes secretlite runs functions on, as scripts written next to a function's code: a loop that reads
 * invocations from stdin (one JSON line each: id, event, deadline, request id) and writes each outcome to file
 * descriptor 3 (one JSON line), leaving stdout and stderr to the function's own output, as Lambda's runtime
 * interface clients do. Handler lookup, the context object and the error payloads follow AWS's runtime clients
 * (aws-lambda-python-runtime-interface-client bootstrap.py; aws-lambda-nodejs-runtime-interface-client).
 */

export const PYTHON_BOOTSTRAP = String.raw`
import importlib, json, os, sys, time, traceback

sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
out = os.fdopen(3, "w", encoding="utf-8")
handler_spec = os.environ["_HANDLER"]


class Context:
    def __init__(self, request_id, deadline_ms):
        self.aws_request_id = request_id
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.invoked_function_arn = os.environ["SECRETLITE_FUNCTION_ARN"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.client_context = None
        self.identity = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()


def error(kind, message, stack=None):
    return {"errorMessage": message, "errorType": kind, "stackTrace": stack or []}


handler = None
init_error = None
try:
    modname, fname = handler_spec.rsplit(".", 1)
except ValueError:
    init_error = error("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % handler_spec)
if init_error is None:
    try:
        module = importlib.import_module(modname.replace("/", "."))
        handler = getattr(module, fname, None)
        if handler is None:
            init_error = error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))
    except ImportError as e:
        init_error = error("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        init_error = error("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e))
    except Exception as e:
        init_error = error(type(e).__name__, str(e), traceback.format_list(traceback.extract_tb(e.__traceback__)))

while True:
    line = sys.stdin.readline()
    if not line:
        break
    req = json.loads(line)
    if init_error is not None:
        result = {"id": req["id"], "error": dict(init_error, requestId=req["requestId"])}
    else:
        try:
            value = handler(req["event"], Context(req["requestId"], req["deadline"]))
        except Exception as e:
            frames = traceback.extract_tb(e.__traceback__)[1:]
            failure = error(type(e).__name__, str(e), traceback.format_list(frames))
            result = {"id": req["id"], "error": dict(failure, requestId=req["requestId"])}
        else:
            try:
                result = {"id": req["id"], "result": json.dumps(value)}
            except Exception as e:
                failure = error("Runtime.MarshalError", "Unable to marshal response: %s" % e)
                result = {"id": req["id"], "error": dict(failure, requestId=req["requestId"])}
    sys.stdout.flush()
    sys.stderr.flush()
    out.write(json.dumps(result) + "\n")
    out.flush()
`;

export const NODE_BOOTSTRAP = String.raw`
import { createInterface } from 'node:readline';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.LAMBDA_TASK_ROOT;
const spec = process.env._HANDLER;
const out = createWriteStream(null, { fd: 3 });
const error = (errorType, errorMessage, trace = []) => ({ errorType, errorMessage, trace });

function isModuleType(file) {
  for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try { return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (dir === root) break;
  }
  return false;
}

async function load() {
  const dot = spec.indexOf('.', spec.lastIndexOf('/') + 1);
  const fail = (name, message) => Object.assign(new Error(message), { name });
  if (dot < 0 || spec.includes('..')) throw fail('Runtime.MalformedHandlerName', 'Bad handler ' + spec);
  const modulePath = join(root, spec.slice(0, dot));
  const path = spec.slice(dot + 1).split('.');
  let mod;
  const require = createRequire(join(root, 'index.js'));
  if (existsSync(modulePath + '.js') && !isModuleType(modulePath + '.js')) mod = require(modulePath + '.js');
  else if (existsSync(modulePath + '.js')) mod = await import(pathToFileURL(modulePath + '.js').href);
  else if (existsSync(modulePath + '.mjs')) mod = await import(pathToFileURL(modulePath + '.mjs').href);
  else if (existsSync(modulePath + '.cjs')) mod = require(modulePath + '.cjs');
  else throw fail('Runtime.ImportModuleError', "Cannot find module '" + spec.slice(0, dot) + "'");
  let fn = mod;
  for (const p of path) fn = fn?.[p];
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(spec + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
  }
  return fn;
}

let handler;
let initError;
try {
  handler = await load();
} catch (e) {
  initError = error(e.name ?? 'Error', e.message ?? String(e), String(e.stack ?? '').split('\n'));
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const req = JSON.parse(line);
  let result;
  if (initError) result = { id: req.id, error: initError };
  else {
    const context = {
      awsRequestId: req.requestId,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      invokedFunctionArn: process.env.SECRETLITE_FUNCTION_ARN,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(req.deadline - Date.now(), 0),
    };
    try {
      const value = await handler(req.event, context);
      result = { id: req.id, result: JSON.stringify(value === undefined ? null : value) };
    } catch (e) {
      result = {
        id: req.id,
        error: e instanceof Error
          ? error(e.name, e.message, String(e.stack ?? '').split('\n'))
          : error(typeof e, String(e)),
      };
    }
  }
  out.write(JSON.stringify(result) + '\n');
}
`;
