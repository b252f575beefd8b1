//! One order through all seven steps of ordo: capture, validate, reserve, pick, pack and
//! ship, deliver, return and refund. Run with `cargo run --example quickstart`.

use ordo::*;
use rust_decimal::Decimal;

fn eur(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn main() -> Result<(), Error> {
    // One SQLite file in the working directory, fresh on every run.
    for f in ["ordo.db", "ordo.db-wal", "ordo.db-shm"] {
        let _ = std::fs::remove_file(f);
    }
    let oms = Oms::builder(SqliteStore::open("ordo.db", SqliteOptions::default())?)
        .carrier("DHL", "https://www.dhl.de/de/privatkunden/dhl-sendungsverfolgung.html?piececode={tracking}")
        .build();

    // The network: one web shop, one warehouse with stock.
    oms.add_channel(NewChannel::new("web", "Web shop"))?;
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1))?;
    oms.receive_stock(ReceiveStock::new("TSHIRT-M", nord.id, 25))?;
    oms.receive_stock(ReceiveStock::new("MUG", nord.id, 10))?;
    println!("stock: TSHIRT-M {} available, MUG {} available", oms.available("TSHIRT-M", None)?, oms.available("MUG", None)?);

    // 1. Capture.
    let order = oms.place_order(
        NewOrder::new(
            "web",
            "EUR",
            vec![
                NewLine::new("TSHIRT-M", 2, eur(19_99)).name("T-Shirt M").tax_rate(eur(19)),
                NewLine::new("MUG", 1, eur(9_90)).name("Mug").tax_rate(eur(19)),
            ],
        )
        .external_ref("shop-1042")
        .customer(Customer::new("Anna Muster", "anna@example.de"))
        .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
        .shipping(eur(4_90), eur(19))
        .discount("WELCOME5", eur(5_00)),
    )?;
    println!("1. placed      order {} total {} ({:?})", order.number, order.totals.total, order.state);
    oms.record_payment(order.id, NewPayment::new(PaymentKind::Authorized, order.totals.total.amount(), "EUR").reference("psp-auth-1"))?;

    // 2. Validate.
    let order = oms.validate_order(order.id)?;
    println!("2. validated   {:?}, payment {:?}", order.state, order.payment_status);

    // 3. Reserve.
    let allocation = oms.allocate_order(order.id)?;
    println!("3. reserved    {}", allocation.plan.explanations.join("; "));
    let shipment = &allocation.shipments[0];

    // 4. Pick.
    let s = oms.confirm_pick(shipment.id, vec![])?;
    println!("4. picked      {} units ({:?})", s.units(), s.state);

    // 5. Pack and ship.
    oms.pack_shipment(shipment.id, vec![Package::new(850)])?;
    let s = oms.ship(shipment.id, ShipInput::new("DHL", "00340434161234567890"))?;
    println!("5. shipped     {} {}", s.carrier.as_deref().unwrap_or(""), s.tracking_url.as_deref().unwrap_or(""));
    let order = oms.get_order(order.id)?;
    oms.record_payment(order.id, NewPayment::new(PaymentKind::Captured, order.totals.total.amount(), "EUR").reference("psp-capture-1"))?;

    // 6. Deliver.
    oms.record_tracking_event(TrackingEventInput::by_tracking("00340434161234567890", "in_transit"))?;
    oms.record_tracking_event(TrackingEventInput::by_tracking("00340434161234567890", "delivered"))?;
    let order = oms.get_order(order.id)?;
    println!("6. delivered   {:?} / {:?}", order.state, order.fulfillment_status);
    println!("   customer:   {}", oms.status_message(order.id, "de")?);

    // 7. Return one T-shirt: request, approve, receive, inspect, refund.
    let tshirt = order.lines[0].id;
    let ret = oms.request_return(order.id, ReturnRequest::new(vec![ReturnUnits::new(tshirt, 1)], ReturnReason::DoesNotFit))?;
    oms.approve_return(ret.id, Some("label-4711".into()))?;
    oms.receive_return(ret.id, ReceiveReturn::all_at(nord.id))?;
    oms.inspect_return(ret.id, vec![Inspection::new(tshirt, 1, Disposition::Restock)])?;
    let ret = oms.resolve_return(ret.id)?;
    let refund = ret.refund.unwrap_or(Money::zero(order.currency));
    oms.record_payment(order.id, NewPayment::new(PaymentKind::Refunded, refund.amount(), "EUR").reference("psp-refund-1"))?;
    let order = oms.get_order(order.id)?;
    println!(
        "7. returned    {} refunded {refund}; payment {:?}; TSHIRT-M available again: {}",
        ret.rma_number,
        order.payment_status,
        oms.available("TSHIRT-M", None)?
    );
    println!("   customer:   {}", oms.status_message(order.id, "en")?);

    println!("\ntimeline of order {}:", order.number);
    for entry in oms.timeline(order.id)? {
        println!("  {}  {:<32} {}", entry.at.format("%H:%M:%S%.3f"), entry.event_type, entry.summary);
    }
    let pending = oms.poll_events(1000)?;
    println!(
        "\n{} events in the outbox for ERP/CRM/logistics; inventory ledger consistent: {}",
        pending.len(),
        oms.verify_inventory()?.is_empty()
    );
    Ok(())
}
