//! Item definitions are imported from JSON (the demo seed, the admin's draft editor): reading one
//! and listing its problems must never panic, and `validate` must agree with `problems`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_domain::catalogue::ItemDefinition;

fuzz_target!(|data: &[u8]| {
    let Ok(def) = serde_json::from_slice::<ItemDefinition>(data) else {
        return;
    };
    let problems = def.problems();
    assert_eq!(def.validate().err(), problems.first().cloned());
    for p in &problems {
        let _ = (p.field(), p.code(), p.message_zh(), p.to_string());
    }
    let _ = def.ten_public_elements("部门");
    let json = serde_json::to_vec(&def).expect("serializes");
    let again: ItemDefinition = serde_json::from_slice(&json).expect("reads its own output");
    assert_eq!(again.problems().len(), problems.len());
});
