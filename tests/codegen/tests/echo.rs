//! `zpb-echo` round-trips length-delimited messages (the hook for cross-checks with other
//! protobuf implementations).

use std::io::Write;
use std::process::{Command, Stdio};
use zpb::Message;
use zpb_codegen_tests::protobuf_test_messages::proto3::TestAllTypesProto3;

#[test]
fn echo_round_trips_delimited_messages() {
    let mut input = Vec::new();
    for i in 0..3 {
        let mut m = TestAllTypesProto3::default();
        m.set_optional_int32(i);
        m.set_optional_string("é".repeat(i as usize));
        m.mutable_map_int32_int32().insert(i, -i);
        m.add_repeated_sint64(-1);
        m.set_oneof_uint32(7);
        m.append_delimited_to_vec(&mut input).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_zpb-echo"))
        .arg("protobuf_test_messages.proto3.TestAllTypesProto3")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, input);
}
