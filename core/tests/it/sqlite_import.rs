//! Bulk import (`Oms::import_orders`), on every backend: one transaction, per-order
//! results, the same validation and idempotency as `place_order`.

use std::sync::Arc;

use ordo::*;

use crate::common::*;

fn line(qty: u32) -> Vec<NewLine> {
    vec![NewLine::new("A", qty, d("9.99")), NewLine::new("B", 1, d("5.00"))]
}

fn failed_code(r: &ImportResult) -> &str {
    match r {
        ImportResult::Failed { code, .. } => code,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn import_reports_each_order_and_stores_only_the_good_ones(b: Backend) {
    let w = world(b);
    let before = w.oms.place_order(new_order("old-1", line(1))).unwrap();
    let batch = vec![
        new_order("imp-1", line(1)),
        new_order("imp-2", line(0)),                                                      // zero quantity
        NewOrder::new("nowhere", "EUR", line(1)).external_ref("imp-3").ship_to(berlin()), // unknown channel
        new_order("old-1", line(1)),                                                      // placed before, same content
        new_order("old-1", line(2)),                                                      // placed before, other content
        new_order("imp-4", line(2)),
        new_order("imp-1", line(1)),                                                  // repeated within the batch
        NewOrder::new("web", "XYZ", line(1)).external_ref("imp-5").ship_to(berlin()), // unknown currency
        new_order("imp-6", vec![NewLine::new("A", 1, d("9.999"))]),                   // too precise for EUR
    ];
    let results = w.oms.import_orders(batch).unwrap();
    assert_eq!(results.len(), 9);
    let ImportResult::Placed { order_id: first, number: n1 } = &results[0] else { panic!("{:?}", results[0]) };
    assert_eq!(failed_code(&results[1]), "INVALID_INPUT");
    assert_eq!(failed_code(&results[2]), "NOT_FOUND");
    assert_eq!(results[3], ImportResult::AlreadyExisted { order_id: before.id, number: before.number.clone() });
    assert_eq!(failed_code(&results[4]), "CONFLICT");
    let ImportResult::Placed { number: n4, .. } = &results[5] else { panic!("{:?}", results[5]) };
    assert_eq!(results[6], ImportResult::AlreadyExisted { order_id: *first, number: n1.clone() });
    assert_eq!(failed_code(&results[7]), "UNKNOWN_CURRENCY");
    assert_eq!(failed_code(&results[8]), "INVALID_AMOUNT");
    assert!(matches!(&results[4], ImportResult::Failed { message, .. } if message.contains("old-1")), "{:?}", results[4]);
    // Refused orders burned no number: the placed ones are consecutive.
    let base: u64 = before.number.parse().unwrap();
    assert_eq!((n1.parse::<u64>().unwrap(), n4.parse::<u64>().unwrap()), (base + 1, base + 2));

    let orders = w.oms.list_orders(&OrderQuery::default()).unwrap();
    assert_eq!(orders.iter().map(|o| o.external_ref.as_deref().unwrap()).collect::<Vec<_>>(), ["old-1", "imp-1", "imp-4"]);
    assert!(orders.iter().all(|o| o.state == OrderState::Placed && o.version == 1));
    let placed: Vec<Event> = w.oms.poll_events(1000).unwrap().into_iter().filter(|e| e.type_name() == "order_placed").collect();
    assert_eq!(placed.len(), 3, "one order_placed per stored order, none for refused or repeated ones");

    // An imported order is the same as a placed one: retrying it with place_order finds it.
    let again = w.oms.place_order(new_order("imp-4", line(2))).unwrap();
    assert_eq!(again.number, *n4);
    // Imported orders go on through the usual path.
    let o = w.oms.find_order("web/imp-4").unwrap();
    w.oms.record_payment(o.id, NewPayment::new(PaymentKind::Authorized, o.totals.total.amount(), "EUR")).unwrap();
    assert_eq!(w.oms.validate_order(o.id).unwrap().state, OrderState::Confirmed);
    assert_eq!(w.oms.allocate_order(o.id).unwrap().order.lines[0].quantities.allocated, 2);
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
}

fn import_is_idempotent_with_a_key_and_empty_batches_are_fine(b: Backend) {
    let w = world(b);
    assert_eq!(w.oms.import_orders(vec![]).unwrap(), vec![]);
    let batch = || vec![new_order("k-1", line(1)), new_order("k-2", line(0))];
    let first = w.oms.with_idempotency_key("import-7").import_orders(batch()).unwrap();
    let retry = w.oms.with_idempotency_key("import-7").import_orders(batch()).unwrap();
    assert_eq!(first, retry, "the retry returns the first results");
    assert!(matches!(first[0], ImportResult::Placed { .. }));
    let err = w.oms.with_idempotency_key("import-7").import_orders(vec![new_order("k-3", line(1))]).unwrap_err();
    assert_eq!(err.code(), "CONFLICT");
    assert_eq!(w.oms.list_orders(&OrderQuery::default()).unwrap().len(), 1);
    // Without a key, importing the same orders again reports them as existing.
    let plain = w.oms.import_orders(batch()).unwrap();
    assert_eq!(
        plain[0],
        ImportResult::AlreadyExisted { order_id: first[0].order_id().unwrap(), number: w.oms.find_order("web/k-1").unwrap().number }
    );
    assert_eq!(plain[0].order_id(), first[0].order_id());
    assert_eq!(failed_code(&plain[1]), "INVALID_INPUT");
}

fn a_failed_order_leaves_no_trace_of_its_partial_writes(b: Backend) {
    let w = world(b);
    // Two orders claim the same checkout hold: the second converts nothing and fails
    // after the first converted it; the expired hold of a third cart is swept once.
    w.oms.hold_stock(HoldRequest::new("cart-1", "web", vec![HoldLine::new("A", 2)], 600)).unwrap();
    let with_cart = |ext: &str| new_order(ext, vec![NewLine::new("A", 2, d("9.99"))]).cart_ref("cart-1");
    let results = w.oms.import_orders(vec![with_cart("c-1"), with_cart("c-2"), new_order("c-3", line(1))]).unwrap();
    assert!(matches!(results[0], ImportResult::Placed { .. }), "{:?}", results[0]);
    assert_eq!(failed_code(&results[1]), "CONFLICT");
    assert!(matches!(results[2], ImportResult::Placed { .. }), "{:?}", results[2]);
    let hold = w.oms.stock_hold("cart-1").unwrap();
    assert_eq!(hold.order_id, results[0].order_id(), "the hold belongs to the first order");
    assert_eq!(w.oms.find_order("web/c-2").unwrap_err().code(), "NOT_FOUND", "the failed order was not stored");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);

    // Now an order that fails after writing: a second handle on the same store numbers
    // orders so that its next number is taken. The hold conversion and the counter step
    // written before the failure must be rolled back.
    let store: Arc<dyn Store> = Arc::from(b.store());
    let first = Oms::builder(Shared(Arc::clone(&store))).build();
    let clashing = Oms::builder(Shared(store)).order_numbers("", 999).build();
    first.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let nord = first.add_location(NewLocation::warehouse("nord", "Lager Nord")).unwrap().id;
    first.receive_stock(ReceiveStock::new("A", nord, 10)).unwrap();
    assert_eq!(first.place_order(new_order("x-1", vec![NewLine::new("A", 1, d("9.99"))])).unwrap().number, "1001");
    first.hold_stock(HoldRequest::new("cart-9", "web", vec![HoldLine::new("A", 2)], 600)).unwrap();
    let cart9 = new_order("x-2", vec![NewLine::new("A", 2, d("9.99"))]).cart_ref("cart-9");
    let results = clashing.import_orders(vec![cart9.clone()]).unwrap();
    assert!(matches!(&results[0], ImportResult::Failed { code, message } if code == "CONFLICT" && message.contains("1001")), "{results:?}");
    assert_eq!(first.stock_hold("cart-9").unwrap().order_id, None, "{b:?}: the hold conversion was rolled back");
    let events = first.poll_events(1000).unwrap();
    assert_eq!(events.iter().filter(|e| e.type_name() == "order_placed").count(), 1, "{b:?}");
    let o = first.place_order(cart9).unwrap();
    assert_eq!(o.number, "1002", "{b:?}: the failed order's counter step was rolled back");
    assert_eq!(first.stock_hold("cart-9").unwrap().order_id, Some(o.id));
    assert_eq!(first.verify_inventory().unwrap(), vec![]);
}

/// Two handles on one store.
struct Shared(Arc<dyn Store>);

impl Store for Shared {
    fn begin(&self) -> Result<Box<dyn Transaction + '_>> {
        self.0.begin()
    }

    fn begin_read(&self) -> Result<Box<dyn Transaction + '_>> {
        self.0.begin_read()
    }
}

#[test]
fn import_reports_each_order_and_stores_only_the_good_ones_on_every_backend() {
    import_reports_each_order_and_stores_only_the_good_ones(Backend::Memory);
    import_reports_each_order_and_stores_only_the_good_ones(Backend::Sqlite);
}

#[test]
fn import_is_idempotent_with_a_key_and_empty_batches_are_fine_on_every_backend() {
    import_is_idempotent_with_a_key_and_empty_batches_are_fine(Backend::Memory);
    import_is_idempotent_with_a_key_and_empty_batches_are_fine(Backend::Sqlite);
}

#[test]
fn a_failed_order_leaves_no_trace_of_its_partial_writes_on_every_backend() {
    a_failed_order_leaves_no_trace_of_its_partial_writes(Backend::Memory);
    a_failed_order_leaves_no_trace_of_its_partial_writes(Backend::Sqlite);
}

#[test]
fn a_large_batch_is_one_transaction_on_sqlite() {
    let w = world(Backend::Sqlite);
    let batch: Vec<NewOrder> = (0..2000).map(|i| new_order(&format!("bulk-{i}"), line(1 + i % 3))).collect();
    let results = w.oms.import_orders(batch).unwrap();
    assert!(results.iter().all(|r| matches!(r, ImportResult::Placed { .. })));
    assert_eq!(w.oms.list_orders(&OrderQuery { limit: Some(5), offset: 1995, ..OrderQuery::default() }).unwrap().len(), 5);
    assert_eq!(w.oms.find_order("web/bulk-1999").unwrap().lines[0].quantities.ordered, 1 + 1999 % 3);
}
