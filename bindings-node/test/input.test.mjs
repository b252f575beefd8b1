// Hostile and malformed input at the JS boundary: strings that are not valid Unicode,
// booleans where numbers belong, nesting beyond the limit, and error field paths that read
// like the API (camelCase) everywhere.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Oms, ManualClock } from 'ordo'

/** `ordo.limits.MAX_INPUT_DEPTH`: objects and arrays inside each other, the argument included. */
const MAX_DEPTH = 32
const address = { name: 'Anna Muster', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' }
const newOrder = (ref, extra = {}) => ({
  channel: 'web', currency: 'EUR', externalRef: ref, lines: [{ sku: 'MUG', quantity: 1, unitPrice: '9.90', taxRate: '0.19' }],
  customer: { name: 'Anna Muster', email: 'anna@example.de' }, shippingAddress: address, ...extra,
})

async function shop() {
  const oms = Oms.inMemory()
  await oms.addChannel({ code: 'web', name: 'Web shop' })
  const nord = await oms.addLocation({ code: 'nord', name: 'Lager Nord' })
  await oms.receiveStock({ sku: 'MUG', location: nord.id, quantity: 10 })
  return { oms, nord }
}

/** The error a Promise rejects with (or a function throws synchronously). */
async function failure(run) {
  try {
    await (typeof run === 'function' ? run() : run)
  } catch (e) {
    return e
  }
  assert.fail('expected a failure')
}

/** Asserts an `INVALID_INPUT` error about exactly `field` whose reason matches `reason`. */
function assertInvalid(e, field, reason) {
  assert.ok(e instanceof Error, `not an Error: ${e}`)
  assert.equal(e.code, 'INVALID_INPUT', `${field}: ${e.message}`)
  assert.equal(e.field, field, e.message)
  assert.match(e.reason, reason)
  assert.equal(e.message, `invalid ${field}: ${e.reason}`)
}

const SURROGATE = /lone UTF-16 surrogate/

test('a lone surrogate in an object field is refused, not merged into U+FFFD', async () => {
  const { oms, nord } = await shop()
  const high = await failure(oms.receiveStock({ sku: 'A\uD800', location: nord.id, quantity: 1 }))
  assertInvalid(high, 'receipt.sku', SURROGATE)
  assert.match(high.reason, /U\+D800 at index 1/)
  const low = await failure(oms.receiveStock({ sku: 'A\uDFFF', location: nord.id, quantity: 1 }))
  assertInvalid(low, 'receipt.sku', /U\+DFFF at index 1/)
  // Nothing was booked under the replacement character.
  assert.deepEqual(await oms.stock('A\uFFFD'), [])
  assert.deepEqual((await oms.movements()).map((m) => m.sku), ['MUG'])
  // In nested objects and arrays the path says where.
  assertInvalid(await failure(oms.placeOrder(newOrder('s-1', { customer: { name: 'X\uDC00Y' } }))), 'order.customer.name', /U\+DC00 at index 1/)
  const lines = [{ sku: 'MUG', quantity: 1, unitPrice: '9.90' }, { sku: '\uD83D', quantity: 1, unitPrice: '1.00' }]
  assertInvalid(await failure(oms.placeOrder(newOrder('s-2', { lines }))), 'order.lines[1].sku', /U\+D83D at index 0/)
  assert.deepEqual(await oms.listOrders(), [])
})

test('a lone surrogate in a plain string argument is refused', async () => {
  const { oms, nord } = await shop()
  const order = await oms.placeOrder(newOrder('p-1'))
  const cases = [
    [() => oms.stock('A\uD800'), 'sku'],
    [() => oms.skuSettings('A\uDBFF'), 'sku'],
    [() => oms.setBackorderPolicy('A\uDC00', 'allow'), 'sku'],
    [() => oms.setSafetyStock('MUG\uD800', nord.id, 1), 'sku'],
    [() => oms.available('MUG', 'web\uD800'), 'channel'],
    [() => oms.findOrder('web/p-1\uDFFF'), 'reference'],
    [() => oms.stockHold('cart\uD800'), 'cartRef'],
    [() => oms.cancelOrder(order.id, 'changed \uD800 mind'), 'reason'],
    [() => oms.statusMessage(order.id, 'd\uDE00'), 'locale'],
    [() => oms.setBin('MUG', nord.id, 'B-\uD800'), 'bin'],
    [() => oms.ackEvents(['\uD800']), 'ids[0]'],
  ]
  for (const [call, field] of cases) {
    assertInvalid(await failure(call()), field, SURROGATE)
  }
  assert.equal((await oms.getOrder(order.id)).state, 'placed', 'the refused cancel changed nothing')
  assert.equal((await oms.skuSettings('MUG')).sku, 'MUG')
  assert.deepEqual((await oms.stock('MUG')).map((l) => l.safetyStock), [0])
})

test('a lone surrogate in a map key or object key is refused, naming the map', async () => {
  const { oms, nord } = await shop()
  const e = await failure(oms.placeOrder(newOrder('k-1', { metadata: { 'shop\uD800': '1' } })))
  assertInvalid(e, 'order.metadata', /a key .*lone UTF-16 surrogate \(U\+D800 at index 4\)/)
  const twin = await failure(oms.placeOrder(newOrder('k-2', { metadata: { 'shop\uDFFF': '1' } })))
  assertInvalid(twin, 'order.metadata', /a key .*U\+DFFF/)
  assertInvalid(await failure(oms.receiveStock({ ['sku\uD800']: 'MUG', location: nord.id, quantity: 1 })), 'receipt', /a key .*U\+D800/)
  assert.deepEqual(await oms.listOrders(), [])
  // A valid pair (an emoji) is not a lone surrogate: it crosses unchanged.
  const ok = await oms.placeOrder(newOrder('k-3', { metadata: { 'note\uD83D\uDE00': 'caf\u00e9 \uD83D\uDE00' } }))
  assert.deepEqual(ok.metadata, { 'note😀': 'café 😀' })
})

test('lone surrogates in idempotency keys, paths and options are refused', async () => {
  const { oms } = await shop()
  const key = await failure(() => oms.withIdempotencyKey('k\uD800'))
  assertInvalid(key, 'key', SURROGATE)
  // Two keys that differ only in their lone surrogate never share a result.
  assert.ok((await failure(() => oms.withIdempotencyKey('k\uDFFF'))).code === 'INVALID_INPUT')
  assert.equal((await oms.withIdempotencyKey('k\uD83D\uDE00').addChannel({ code: 'pos', name: 'POS' })).code, 'pos')

  const dir = mkdtempSync(join(tmpdir(), 'ordo-node-'))
  try {
    assertInvalid(await failure(Oms.open(join(dir, 'shop\uD800.db'))), 'path', SURROGATE)
    assertInvalid(await failure(Oms.open(join(dir, 'shop.db'), { durability: 'full\uD800' })), 'options.durability', SURROGATE)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  assertInvalid(await failure(() => Oms.inMemory({ carriers: { DHL: 'https://x/\uD800{tracking}' } })), 'options.carriers.DHL', SURROGATE)
  assertInvalid(await failure(() => Oms.inMemory({ carriers: { ['D\uDC00']: 'https://x/{tracking}' } })), 'options.carriers', /a key/)
  assertInvalid(await failure(() => Oms.inMemory({ trackingCodes: { ['X\uD800']: 'delivered' } })), 'options.trackingCodes', /a key/)
  assertInvalid(await failure(() => Oms.inMemory({ orderNumbers: { prefix: 'W\uD800' } })), 'options.orderNumbers.prefix', SURROGATE)
  // Options of the wrong shape are INVALID_INPUT too, naming the option.
  assertInvalid(await failure(() => Oms.inMemory({ carriers: { DHL: 42 } })), 'options.carriers.DHL', /expected a string/)
  assertInvalid(await failure(() => Oms.inMemory({ trackingCodes: { X: 'teleported' } })), 'options.trackingCodes.X', /unknown variant/)
  const shop2 = Oms.inMemory({ orderNumbers: { prefix: 'W-', offset: 5 }, carriers: { DHL: 'https://t/{tracking}' } })
  await shop2.addChannel({ code: 'web', name: 'Web' })
  assert.equal((await shop2.placeOrder(newOrder('n-1'))).number, 'W-6')
})

test('booleans are not numbers, and numbers are not booleans', async () => {
  const { oms, nord } = await shop()
  const line = (extra) => [{ sku: 'MUG', quantity: 1, unitPrice: '9.90', ...extra }]
  const cases = [
    [() => oms.placeOrder(newOrder('b-1', { lines: line({ quantity: true }) })), 'order.lines[0].quantity'],
    [() => oms.placeOrder(newOrder('b-2', { lines: line({ unitPrice: true }) })), 'order.lines[0].unitPrice'],
    [() => oms.placeOrder(newOrder('b-3', { lines: line({ taxRate: false }) })), 'order.lines[0].taxRate'],
    [() => oms.receiveStock({ sku: 'MUG', location: nord.id, quantity: true }), 'receipt.quantity'],
    [() => oms.setSafetyStock('MUG', nord.id, true), 'units'],
    [() => oms.pollEvents(true), 'limit'],
    [() => oms.setLocationActive(nord.id, 1), 'active'],
    [() => oms.placeOrder(newOrder('b-4', { pricesIncludeTax: 0 })), 'order.pricesIncludeTax'],
  ]
  for (const [call, field] of cases) {
    const e = await failure(call())
    assert.ok(e instanceof TypeError, `${field}: ${e}`)
    assert.equal(e.code, 'INVALID_INPUT')
    assert.equal(e.field, field)
    assert.match(e.reason, /^invalid type: (boolean `(true|false)`|integer `[01]`), expected /)
  }
  assert.deepEqual(await oms.listOrders(), [])
  const [level] = await oms.stock('MUG')
  assert.deepEqual([level.onHand, level.safetyStock], [10, 0])
  assert.equal((await oms.locations())[0].active, true)
  // The manual clock moves by whole seconds only: no boolean, no silently truncated fraction.
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'))
  for (const [seconds, reason] of [[true, /^invalid type: boolean `true`, expected i64$/], [1.5, /^invalid type: floating point `1.5`, expected i64$/]]) {
    const e = await failure(() => clock.advance(seconds))
    assert.ok(e instanceof TypeError)
    assertInvalid(e, 'seconds', reason)
  }
  clock.advance(60)
  assert.equal(clock.now().toISOString(), '2026-03-02T09:01:00.000Z')
})

/** `{ a: { a: … } }` with `levels` objects. */
function nested(levels) {
  const root = {}
  let cur = root
  for (let i = 1; i < levels; i++) {
    cur.a = {}
    cur = cur.a
  }
  return root
}

test('nesting deeper than the limit is INVALID_INPUT naming the field, at any depth', async () => {
  const { oms, nord } = await shop()
  const expectedPath = (prefix, levels) => prefix + '.a'.repeat(levels)
  // order (level 1) → metadata (2) → 31 more objects: 33 levels, one too many; the field
  // named is the object at level 33.
  let e = await failure(oms.placeOrder(newOrder('d-1', { metadata: nested(MAX_DEPTH) })))
  assertInvalid(e, expectedPath('order.metadata', MAX_DEPTH - 1), /^nested more than 32 levels deep$/)
  // Exactly 32 levels pass the conversion; the core then refuses the shape (metadata values are strings).
  e = await failure(oms.placeOrder(newOrder('d-2', { metadata: nested(MAX_DEPTH - 1) })))
  assert.equal(e.code, 'INVALID_INPUT')
  assert.doesNotMatch(e.reason, /nested/)
  // 10,000 levels: the same error, no stack overflow, the process goes on.
  e = await failure(oms.placeOrder(newOrder('d-3', { metadata: nested(10_000) })))
  assertInvalid(e, expectedPath('order.metadata', MAX_DEPTH - 1), /^nested more than 32 levels deep$/)
  let deepArray = []
  for (let i = 0; i < 10_000; i++) deepArray = [deepArray]
  e = await failure(oms.ackEvents(deepArray))
  assertInvalid(e, 'ids' + '[0]'.repeat(MAX_DEPTH), /^nested more than 32 levels deep$/)
  // A cyclic object is caught by the same limit.
  const cyclic = { sku: 'MUG', location: nord.id, quantity: 1 }
  cyclic.self = cyclic
  e = await failure(oms.receiveStock(cyclic))
  assertInvalid(e, 'receipt' + '.self'.repeat(MAX_DEPTH), /^nested more than 32 levels deep$/)
  assert.deepEqual(await oms.listOrders(), [])
  assert.equal((await oms.placeOrder(newOrder('d-4'))).state, 'placed', 'still working')
})

test('a Map or Set is refused rather than silently sent as {}', async () => {
  const { oms, nord } = await shop()
  for (const [metadata, kind] of [[new Map([['shop_id', '7']]), 'Map'], [new Set(['x']), 'Set']]) {
    const e = await failure(oms.placeOrder(newOrder(`m-${kind}`, { metadata })))
    assert.ok(e instanceof TypeError)
    assertInvalid(e, 'order.metadata', new RegExp(`^a ${kind} is not a plain object`))
  }
  assertInvalid(await failure(oms.receiveStock(new Map([['sku', 'MUG']]))), 'receipt', /^a Map is not a plain object/)
  assert.deepEqual(await oms.listOrders(), [])
  // Objects are read as JSON.stringify reads them: own enumerable properties, symbols left out.
  const withProto = Object.assign(Object.create({ inherited: 'x' }), { shop_id: '7', [Symbol('s')]: 'y' })
  assert.deepEqual((await oms.placeOrder(newOrder('m-ok', { metadata: withProto }))).metadata, { shop_id: '7' })
  assert.deepEqual((await oms.placeOrder(newOrder('m-empty', { metadata: {} }))).metadata, {})
  assert.deepEqual((await oms.placeOrder(newOrder('m-null', { metadata: Object.create(null) }))).metadata, {})
  assert.equal((await oms.stock('MUG'))[0].location, nord.id)
})

test('error field paths and messages are camelCase, like the API', async () => {
  const { oms, nord } = await shop()
  const withLine = (ref, l) => newOrder(ref, { lines: [{ sku: 'MUG', quantity: 1, unitPrice: '9.90', ...l }] })
  // A malformed value (decoding).
  let e = await failure(oms.placeOrder(withLine('c-1', { unitPrice: 'abc' })))
  assertInvalid(e, 'order.lines[0].unitPrice', /^invalid value: string "abc", expected a Decimal/)
  // A misspelt field: the unknown name and the expected ones as the API spells them.
  e = await failure(oms.placeOrder(withLine('c-2', { unitPrce: '1.00' })))
  assertInvalid(e, 'order.lines[0].unitPrce', /^unknown field `unitPrce`, expected one of `sku`, `name`, `quantity`, `unitPrice`, `taxRate`, `discount`$/)
  // A missing field.
  e = await failure(oms.placeOrder(newOrder('c-3', { lines: [{ sku: 'MUG', quantity: 1 }] })))
  assertInvalid(e, 'order.lines[0]', /^missing field `unitPrice`$/)
  // An element of a list argument.
  e = await failure(oms.ackEvents(['01900000-0000-7000-8000-000000000000', 'not-an-id']))
  assertInvalid(e, 'ids[1]', /^UUID parsing failed/)
  e = await failure(oms.receiveStock({ sku: 'MUG', quantity: 1 }))
  assertInvalid(e, 'receipt', /^missing field `location`$/)
  // A rule of the core (validation after decoding).
  e = await failure(oms.placeOrder(withLine('c-4', { taxRate: '2' })))
  assertInvalid(e, 'lines[0].taxRate', /^tax rate must be a fraction/)
  e = await failure(oms.placeOrder(newOrder('c-5', { externalRef: '' })))
  assertInvalid(e, 'externalRef', /^must not be empty$/)
  // Money errors name their field the same way, in `field` and in the message.
  e = await failure(oms.placeOrder(withLine('c-6', { unitPrice: '-1.00' })))
  assert.equal(e.code, 'INVALID_AMOUNT')
  assert.equal(e.field, 'lines[0].unitPrice')
  assert.equal(e.message, 'lines[0].unitPrice must not be negative, got -1.00')
  // Free-form metadata keys are the user's: never converted.
  e = await failure(oms.placeOrder(newOrder('c-7', { metadata: { shop_id: 7 } })))
  assert.equal(e.code, 'INVALID_INPUT')
  assert.equal(e.field, 'order.metadata.shop_id')
  // Quoted enum values are values, not field names: they stay as the API takes them.
  e = await failure(oms.addChannel({ code: 'pos', name: 'POS', allocation: { strategy: 'fewest_x' } }))
  assertInvalid(e, 'channel.allocation.strategy', /^unknown variant `fewest_x`, expected one of `fewest_shipments`, `priority`, `nearest`, `highest_stock`$/)
  // No snake_case path anywhere in these errors.
  for (const x of [e, await failure(oms.placeOrder(withLine('c-8', { unitPrice: 'abc', taxRate: 'x' })))]) {
    assert.doesNotMatch(`${x.field} ${x.message}`, /unit_price|tax_rate|external_ref|shipping_address/)
  }
  assert.deepEqual(await oms.listOrders(), [])
  assert.equal((await oms.stock('MUG'))[0].location, nord.id)
})

test('a list beyond the limit is refused before any of it is converted', async () => {
  const oms = Oms.inMemory()
  await oms.addChannel({ code: 'web', name: 'Web shop' })
  const lines = Array.from({ length: 100_000 }, (_, i) => ({ sku: `S${i}`, quantity: 1, unitPrice: '1.00' }))
  const e = await failure(oms.placeOrder({ channel: 'web', currency: 'EUR', lines }))
  assert.equal(e.code, 'INVALID_INPUT')
  assert.equal(e.field, 'order.lines')
  assert.equal(e.reason, 'at most 10000 items, got 100000')
  assert.deepEqual(await oms.listOrders(), [])
})
