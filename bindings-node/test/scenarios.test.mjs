// Replays every tests/scenarios/*.json through the public Node API (the cross-language
// contract; format in tests/scenarios/README.md). Same rules as core/tests/it/scenarios.rs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Oms, ManualClock } from 'ordo'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'scenarios')

// The positional parameters of each operation, by their scenario (snake_case) names.
const PARAMS = {
  add_channel: ['channel'], update_channel: ['channel'], channels: [],
  add_location: ['location'], set_location_active: ['location', 'active'], locations: [],
  set_backorder_policy: ['sku', 'policy'], sku_settings: ['sku'],
  hold_stock: ['request'], stock_hold: ['cart_ref'], release_stock_hold: ['cart_ref'], release_expired_holds: [],
  receive_stock: ['receipt'], adjust_stock: ['adjustment'], transfer_stock: ['transfer'],
  set_safety_stock: ['sku', 'location', 'units'], stock: ['sku'], stock_levels: ['location'], available: ['sku', 'channel'],
  movements: ['sku'], verify_inventory: [],
  place_order: ['order'], import_orders: ['orders'], get_order: ['order'], find_order: ['reference'], list_orders: ['query'],
  record_payment: ['order', 'payment'], validate_order: ['order'], hold_order: ['order', 'hold'],
  release_order: ['order', 'note'], edit_order: ['order', 'changes'], cancel_order: ['order', 'reason'],
  cancel_lines: ['order', 'lines', 'reason'], open_claim: ['shipment', 'claim'], resolve_claim: ['shipment', 'settlement'], claims: ['order'],
  plan_allocation: ['order'], allocate_order: ['order'], shipments: ['order'], get_shipment: ['shipment'],
  set_bin: ['sku', 'location', 'bin'], create_pick_list: ['request'], pick_list: ['pick_list'],
  confirm_pick: ['shipment', 'picked'], pack_shipment: ['shipment', 'packages'], packing_slip: ['shipment', 'locale'],
  ship: ['shipment', 'input'], ready_for_pickup: ['shipment'], hand_over: ['shipment'],
  sell_at_counter: ['sale'], counter_receipt: ['order'], record_tracking_event: ['event'],
  request_return: ['order', 'request'], get_return: ['return'], returns: ['order'],
  approve_return: ['return', 'label'], reject_return: ['return', 'reason'], cancel_return: ['return', 'reason'],
  receive_return: ['return', 'receipt'], inspect_return: ['return', 'inspections'], resolve_return: ['return'],
  poll_events: ['limit'], ack_events: ['ids'], timeline: ['order'], status_message: ['order', 'locale'], exceptions: [],
}

// ---- The one place where the scenario's snake_case JSON meets the camelCase API ----
const FREE_FORM = new Set(['metadata'])
const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
/** Scenario JSON (snake_case keys) → the API's camelCase objects; free-form maps untouched. */
function toApi(v) {
  if (Array.isArray(v)) return v.map(toApi)
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), FREE_FORM.has(k) ? x : toApi(x)]))
  }
  return v
}
const apiPath = (p) => p.split('.').filter(Boolean).map(camel)

function substitute(v, vars) {
  if (typeof v === 'string' && v.startsWith('$')) {
    if (!(v.slice(1) in vars)) throw new Error(`unknown variable ${v}`)
    return vars[v.slice(1)]
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars))
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, vars)]))
  }
  return v
}

/** Objects by subset, arrays element-wise with equal length (or {$len}), the rest by equality. */
export function matches(expected, actual, path = 'result') {
  const show = (x) => JSON.stringify(x)
  if (expected && typeof expected === 'object' && !Array.isArray(expected) && '$len' in expected && Array.isArray(actual)) {
    if (actual.length !== expected.$len) throw new Error(`${path}: expected ${expected.$len} elements, found ${actual.length}`)
    return
  }
  if (actual instanceof Date) {
    // Timestamps are Dates in JS and RFC 3339 strings in the scenario files.
    const e = typeof expected === 'string' ? Date.parse(expected) : NaN
    if (e !== actual.getTime()) throw new Error(`${path}: expected ${show(expected)}, found ${actual.toISOString()}`)
    return
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      throw new Error(`${path}: expected ${expected.length} elements, found ${show(actual)}`)
    }
    expected.forEach((e, i) => matches(e, actual[i], `${path}[${i}]`))
    return
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') throw new Error(`${path}: expected an object, found ${show(actual)}`)
    for (const [k, e] of Object.entries(expected)) {
      if (!(k in actual)) throw new Error(`${path}.${k}: missing in ${show(actual)}`)
      matches(e, actual[k], `${path}.${k}`)
    }
    return
  }
  if (expected !== actual) throw new Error(`${path}: expected ${show(expected)}, found ${show(actual)}`)
}

function lookup(v, path) {
  return apiPath(path).reduce((cur, part) => (cur == null ? undefined : cur[Array.isArray(cur) ? Number(part) : part]), v)
}

async function replay(doc) {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
  const oms = Oms.inMemory({
    clock,
    carriers: { DHL: 'https://tracking.example/dhl/{tracking}' },
    trackingCodes: { DLVRD: 'delivered', TRANSIT: 'in_transit' },
  })
  const vars = {}
  for (const [i, step] of doc.steps.entries()) {
    const ctx = `step ${i} (${step.op})`
    const args = substitute(step.args ?? {}, vars)
    let call
    if (step.op === 'advance_clock') {
      call = async () => clock.advance(args.seconds)
    } else {
      const params = PARAMS[step.op]
      const method = camel(step.op)
      const handle = step.idempotency_key ? oms.withIdempotencyKey(step.idempotency_key) : oms
      assert.ok(params && typeof handle[method] === 'function', `${ctx}: operation not exposed by the Node binding`)
      call = () => handle[method](...params.map((p) => toApi(args[p])))
    }
    let result
    try {
      result = await call()
    } catch (e) {
      if (step.expect_error === undefined) throw new Error(`${ctx}: unexpected error ${e.code} (${e.message})`)
      assert.equal(e.code, step.expect_error, `${ctx}: expected error ${step.expect_error}, got ${e.code} (${e.message})`)
      assert.ok(e instanceof Error, `${ctx}: rejections are Error objects`)
      continue
    }
    if (step.expect_error !== undefined) throw new Error(`${ctx}: expected error ${step.expect_error}, got ${JSON.stringify(result)}`)
    if (step.expect !== undefined) {
      try {
        matches(toApi(substitute(step.expect, vars)), result)
      } catch (e) {
        throw new Error(`${ctx}: ${e.message}`)
      }
    }
    for (const [name, path] of Object.entries(step.save ?? {})) {
      const v = lookup(result, path)
      if (v === undefined) throw new Error(`${ctx}: cannot save ${name}: no ${path} in ${JSON.stringify(result)}`)
      vars[name] = v
    }
  }
}

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

test('the scenario directory holds the contract', () => {
  assert.ok(files.length >= 12, `expected at least 12 scenario files, found ${files.length}`)
})

for (const f of files) {
  const doc = JSON.parse(readFileSync(join(dir, f), 'utf8'))
  test(`scenario ${f}: ${doc.name}`, () => replay(doc))
}

test('the matcher is strict where it should be', () => {
  assert.doesNotThrow(() => matches({ a: 1 }, { a: 1, b: 2 }))
  assert.throws(() => matches({ a: 2 }, { a: 1 }))
  assert.throws(() => matches([{ a: 1 }], [{ a: 1 }, { a: 2 }]))
  assert.doesNotThrow(() => matches({ $len: 2 }, [1, 2]))
  assert.throws(() => matches({ x: { y: '1.00' } }, { x: { y: '1.0' } }))
  assert.doesNotThrow(() => matches('2026-03-02T09:00:00Z', new Date('2026-03-02T09:00:00Z')))
})
