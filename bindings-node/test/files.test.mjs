// The SQLite file at its edges, from Node: read-only opens, truncated and newer files,
// the device checkpoint size.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Oms } from 'ordo'

const address = { name: 'Anna Muster', line1: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' }
const order = (ref, extra = {}) => ({
  channel: 'web', currency: 'EUR', externalRef: ref,
  lines: [{ sku: 'TSHIRT-M', quantity: 1, unitPrice: '19.99', taxRate: '0.19' }],
  customer: { name: 'Anna Muster', email: 'anna@example.de' }, shippingAddress: address, ...extra,
})

async function rejection(promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  assert.fail('expected a rejection')
}

async function filled(path, orders, options = {}) {
  const oms = await Oms.open(path, options)
  await oms.addChannel({ code: 'web', name: 'Web shop' })
  const nord = await oms.addLocation({ code: 'nord', name: 'Lager Nord' })
  await oms.receiveStock({ sku: 'TSHIRT-M', location: nord.id, quantity: 5 })
  for (let i = 0; i < orders; i++) await oms.placeOrder(order(`o-${i}`))
  return oms
}

const sideFiles = (dir, name) => readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && !f.endsWith('-turns')).sort()

test('readOnly opens serve queries and refuse commands', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-files-'))
  try {
    const path = join(dir, 'shop.db')
    await filled(path, 40)
    const oms = await Oms.open(path, { readOnly: true })
    assert.equal((await oms.listOrders()).length, 40)
    assert.equal(await oms.available('TSHIRT-M'), 5)
    const e = await rejection(oms.addChannel({ code: 'pos', name: 'Till' }))
    assert.equal(e.code, 'STORAGE')
    assert.equal(e.variant, 'ReadOnly')
    const bad = await rejection(Oms.open(path, { readOnly: 'yes' }))
    assert.equal(bad.code, 'INVALID_INPUT')
    assert.equal(bad.field, 'options.readOnly')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('truncated files are corrupt; newer ones are refused without side files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-files-'))
  try {
    const path = join(dir, 'shop.db')
    // Frequent checkpoints: the database file itself (not only its WAL) holds the data.
    const oms = await filled(path, 40, { checkpointPages: 16 })
    const bytes = readFileSync(path)
    writeFileSync(join(dir, 'half.db'), bytes.subarray(0, Math.floor(bytes.length / 2)))
    const e = await rejection(Oms.open(join(dir, 'half.db')))
    assert.equal(e.code, 'STORAGE')
    assert.equal(e.variant, 'Corrupt')
    assert.match(e.message, /truncated/)
    // A header naming schema version 99 (bytes 60..63 of the file), as a newer ordo writes.
    const newer = Buffer.from(readFileSync(path))
    newer.writeUInt32BE(99, 60)
    writeFileSync(join(dir, 'newer.db'), newer)
    const n = await rejection(Oms.open(join(dir, 'newer.db')))
    assert.equal(n.variant, 'SchemaTooNew')
    assert.deepEqual(sideFiles(dir, 'newer.db'), [])
    assert.ok(oms)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('checkpointPages keeps the WAL near its size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-files-'))
  try {
    const path = join(dir, 'till.db')
    const oms = await Oms.open(path, { checkpointPages: 64 })
    await oms.addChannel({ code: 'web', name: 'Web shop' })
    const nord = await oms.addLocation({ code: 'nord', name: 'Lager Nord' })
    await oms.receiveStock({ sku: 'TSHIRT-M', location: nord.id, quantity: 5 })
    for (let i = 0; i < 300; i++) await oms.placeOrder(order(`o-${i}`, { notes: ['x'.repeat(400)] }))
    assert.ok(statSync(`${path}-wal`).size < 2 * 64 * 4096, `WAL ${statSync(`${path}-wal`).size} bytes`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
