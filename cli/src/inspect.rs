pub struct Options;
impl Options {
    pub fn parse(_a: &[String]) -> Result<Options, String> {
        todo!()
    }
}
pub fn run(_o: &Options) -> std::process::ExitCode {
    todo!()
}
