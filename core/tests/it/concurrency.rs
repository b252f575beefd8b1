//! No overselling with many threads on one `Oms`.

use std::sync::Arc;
use std::thread;

use ordo::*;

use crate::common::*;

pub fn eight_threads_never_reserve_more_than_the_stock(b: Backend) {
    let w = world(b);
    w.oms.receive_stock(ReceiveStock::new("HOT", w.nord, 60)).unwrap();
    w.oms.receive_stock(ReceiveStock::new("HOT", w.sued, 40)).unwrap();
    let oms = Arc::new(w.oms.clone());
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let oms = Arc::clone(&oms);
            thread::spawn(move || {
                let mut granted = 0u32;
                for i in 0..40 {
                    let o = oms
                        .place_order(
                            new_order(&format!("hot-{t}-{i}"), vec![NewLine::new("HOT", 1, d("5.00"))])
                                .payment_method(PaymentMethod::Invoice),
                        )
                        .unwrap();
                    let o = oms.validate_order(o.id).unwrap();
                    if o.state != OrderState::Confirmed {
                        continue;
                    }
                    let a = oms.allocate_order(o.id).unwrap();
                    granted += a.order.lines[0].quantities.allocated;
                }
                granted
            })
        })
        .collect();
    let granted: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(granted, 100, "exactly the stock is granted");
    let levels = w.oms.stock("HOT").unwrap();
    assert!(levels.iter().all(|l| l.reserved == l.on_hand && l.available() == 0), "{levels:?}");
    assert_eq!(w.oms.verify_inventory().unwrap(), vec![]);
    let orders = w.oms.list_orders(&OrderQuery::default()).unwrap();
    let allocated: u32 = orders.iter().flat_map(|o| &o.lines).map(|l| l.quantities.allocated).sum();
    assert_eq!(allocated, 100);
    assert_eq!(orders.len(), 320);
}
