#[tether::integration(
    spec = "../../../../specs/pagination.yaml",
    paginate(operation = "listWidgets", style = "cursor", param = "from", next = "more.from", items = "widgets"),
)]
mod paging {}

fn main() {}
