// rust-embed includes the files web/dist had at compile time; rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
