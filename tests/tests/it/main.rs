//! cqlfiddle's cross-crate tests: the documentation's codemap, and the whole product
//! (emulator, Worker under workerd, release front end, headless Chromium) end to end.

mod architecture;
mod e2e;
mod worker;
