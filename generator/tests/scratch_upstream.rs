use std::path::Path;
use std::time::{Duration, Instant};
#[test]
fn scratch() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/api-specs/idn");
    let versions = generator::load::discover_versions(&dir).unwrap();
    let mut best = vec![Duration::MAX; versions.len()];
    for round in 0..5 {
        for (i, v) in versions.iter().enumerate() {
            let t1 = Instant::now();
            let spec = generator::load::load_version(&dir, v);
            let el = t1.elapsed();
            best[i] = best[i].min(el);
            match spec {
                Ok(spec) => {
                    if round == 0 && std::env::var("SHOWW").is_ok() {
                        println!(
                            "{v}: paths={} schemas={} warnings={}",
                            spec.openapi.paths.paths.len(),
                            spec.openapi
                                .components
                                .as_ref()
                                .map_or(0, |c| c.schemas.len()),
                            spec.warnings.len()
                        );
                        for w in &spec.warnings {
                            println!("  W {w}");
                        }
                    }
                }
                Err(e) => println!("{v}: ERROR {e}"),
            }
        }
    }
    println!("best {:?} total {:?}", best, best.iter().sum::<Duration>());
}
