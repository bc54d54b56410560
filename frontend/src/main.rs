//! The page's entry point: mounts [`cqlfiddle_frontend::App`] into `<body>`.

fn main() {
    leptos::mount::mount_to_body(cqlfiddle_frontend::App);
}
