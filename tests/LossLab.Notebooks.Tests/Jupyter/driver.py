"""Drives LossLab's Jupyter kernel with Debian's jupyter_client and prints what it saw as one JSON object.

usage: /usr/bin/python3 driver.py KERNEL_NAME DATA_DIR STDERR_FILE [protocol|interrupt]
       /usr/bin/python3 driver.py KERNEL_NAME DATA_DIR STDERR_FILE notebook NOTEBOOK OUT (nbclient, Scale "smoke")
DATA_DIR is the Jupyter data directory holding kernels/KERNEL_NAME (it becomes JUPYTER_PATH). The checks only record;
the xUnit tests (JupyterKernelTests) assert.
"""
import atexit
import json
import os
import sys
import time

name, data_dir, stderr_path = sys.argv[1], sys.argv[2], sys.argv[3]
mode = sys.argv[4] if len(sys.argv) > 4 else "protocol"
os.environ["JUPYTER_PATH"] = data_dir

from jupyter_client import KernelManager  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.session import Session  # noqa: E402

results = {"specs": sorted(KernelSpecManager().find_kernel_specs())}

if mode == "notebook":
    # Each NOTEBOOK through nbclient with this kernel, papermill-style: a cell after the parameters cell sets the scale.
    # The executed copies and summary.json (notebook, output, seconds, error) go to OUT; the kernels' stderr to STDERR_FILE.
    import nbformat
    from nbclient import NotebookClient
    out = sys.argv[5]
    os.makedirs(out, exist_ok=True)
    summary = []
    with open(stderr_path, "w") as stderr:
        for source in sys.argv[6:]:
            nb = nbformat.read(source, as_version=4)
            at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
            nb.cells.insert(at + 1, nbformat.v4.new_code_cell('Scale = "smoke";', metadata={"tags": ["injected-parameters"]}))
            began, error = time.time(), None
            try:
                NotebookClient(nb, kernel_name=name, timeout=600, startup_timeout=60,
                               resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}}).execute(stderr=stderr)
            except Exception as e:  # the test reports it
                error = (type(e).__name__ + ": " + str(e))[-3000:]
            target = os.path.join(out, os.path.basename(source))
            nbformat.write(nb, target)
            summary.append({"notebook": source, "output": target, "seconds": round(time.time() - began, 1), "error": error})
            print("%s %.1f s %s" % ("ok" if error is None else "FAILED", time.time() - began, source), file=sys.stderr, flush=True)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(results))
    sys.exit(0)
stderr = open(stderr_path, "w")
km = KernelManager(kernel_name=name)
km.start_kernel(stderr=stderr)
# Whatever happens below (a timeout raises), the kernel does not outlive the driver: a kernel left running would keep
# this process's stdout open and the test reading it would wait for ever instead of failing with the traceback.
atexit.register(lambda: km.is_alive() and km.shutdown_kernel(now=True))
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)


def run(code, **kw):
    """Executes code; returns (reply content, [(msg_type, content)] of its iopub messages)."""
    seen = []
    reply = kc.execute_interactive(code, output_hook=lambda m: seen.append((m["msg_type"], m["content"])), timeout=60, **kw)
    return reply["content"], seen


def iopub_until_idle(msg_id):
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append((m["msg_type"], m["content"]))
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return seen


def shell_reply(msg_id):
    while True:
        m = kc.get_shell_msg(timeout=60)
        if m["parent_header"].get("msg_id") == msg_id:
            return m["content"]


if mode == "protocol":
    # The heartbeat: a REQ socket of our own sends a ping to the hb port; the kernel's REP socket echoes it.
    import zmq
    ping = zmq.Context.instance().socket(zmq.REQ)
    ping.linger = 0
    ping.connect("tcp://%s:%d" % (km.ip, km.hb_port))
    ping.send(b"ping-losslab")
    results["heartbeat"] = ping.recv().decode() if ping.poll(30000) else None
    ping.close()
    info = kc.kernel_info(reply=True, timeout=30)["content"]
    results["kernel_info"] = info

    reply, seen = run("1+1")
    results["one_plus_one"] = {"reply": reply, "iopub": seen}

    reply, seen = run('Console.WriteLine("hello from a cell"); Console.Error.Write("warn");')
    results["streams"] = {"reply": reply, "iopub": seen}

    reply, seen = run('throw new InvalidOperationException("boom");')
    results["exception"] = {"reply": reply, "iopub": seen}

    reply, seen = run('var d = display("first"); d.Update("second");')
    results["display"] = {"reply": reply, "iopub": seen}

    reply, seen = run("40 + 2", silent=True)
    results["silent"] = {"reply": reply, "iopub": seen}
    reply, seen = run("3", store_history=False)
    results["no_history"] = {"reply": reply, "iopub": seen}
    reply, seen = run("4")
    results["after_silent"] = {"reply": reply, "iopub": seen}

    # stop_on_error: a failing request and one queued behind it, sent without waiting. The failing cell runs for a
    # while before it throws, as a notebook's cells do, so that the second request is queued at the kernel (not still in
    # transit) when the first fails; the kernel aborts what is queued then, as ipykernel does with its default timeout.
    first = kc.execute('System.Threading.Thread.Sleep(500); throw new Exception("stop here");')
    second = kc.execute("5")
    results["stop_on_error"] = {"first": shell_reply(first), "second": shell_reply(second)}

    results["is_complete"] = {}
    for label, code in [("complete", "var x = 1;"), ("incomplete", "if (true) {"), ("incomplete_string", 'var s = "abc'),
                        ("invalid", "var = ;"), ("magic", "#!time\nvar y = 2;")]:
        msg_id = kc.is_complete(code)
        results["is_complete"][label] = shell_reply(msg_id)

    # complete and inspect against the kernel's state; Console.ReadLine through input_request.
    run("/// <summary>Squares a number.</summary>\nint Square(int x) => x * x;\nvar numbers = new List<int> { 1, 2 };")
    results["complete"] = {}
    for label, code in [("variable", "numb"), ("member", "numbers.Cou"), ("static", "Math.Sq"), ("method", "Squ")]:
        results["complete"][label] = shell_reply(kc.complete(code, len(code)))
    results["inspect"] = shell_reply(kc.inspect("Square(3)", 2))
    msg_id = kc.execute('var name = Console.ReadLine(); Console.WriteLine($"hello {name}");', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=60)
    results["input_request"] = request["content"]
    kc.input("Ada")
    results["input"] = {"reply": shell_reply(msg_id), "iopub": iopub_until_idle(msg_id)}

    msg_id = kc.comm_info()
    results["comm_info"] = shell_reply(msg_id)
    msg_id = kc.history()
    results["history"] = shell_reply(msg_id)

    # A request signed with another key: the kernel must drop it (never execute it) and log it; then it still answers.
    forged = Session(key=b"not-the-kernel-key", username="attacker")
    bad = forged.msg("execute_request", content={"code": "var forged = 42;", "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    forged.send(kc.shell_channel.socket, bad)
    unsigned = Session(key=b"", username="attacker")
    unsigned.send(kc.shell_channel.socket, unsigned.msg("execute_request", content={"code": "var forged2 = 43;", "silent": False}))
    reply, seen = run("forged")   # properly signed: must fail to compile, forged was never declared
    results["bad_signature"] = {"reply": reply, "iopub": seen}
    reply, seen = run("6 * 7")
    results["after_bad_signature"] = {"reply": reply, "iopub": seen}

    km.shutdown_kernel(now=False)
    results["alive_after_shutdown"] = km.is_alive()

elif mode == "interrupt":
    # A cooperative case first: interrupted while nothing runs, the kernel stays and answers.
    request = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(request)
    while True:
        m = kc.get_control_msg(timeout=60)
        if m["parent_header"].get("msg_id") == request["header"]["msg_id"]:
            results["idle_interrupt_reply"] = m["content"]
            break
    reply, seen = run("1")
    results["after_idle_interrupt"] = {"reply": reply, "iopub": seen}
    # SIGINT to the kernel's process (what interrupt_mode "signal" front ends send) while a cell waits for input: the
    # cell stops with an error, the kernel stays and answers.
    import signal
    msg_id = kc.execute('var answer = Console.ReadLine();', allow_stdin=True)
    kc.get_stdin_msg(timeout=60)
    os.kill(km.provisioner.pid, signal.SIGINT)
    results["sigint_reply"] = shell_reply(msg_id)
    reply, seen = run("2")
    results["after_sigint"] = {"reply": reply, "iopub": seen}
    # A busy loop: interrupted once it is running (its first output arrived); it cannot stop, so the kernel exits.
    msg_id = kc.execute('Console.WriteLine("looping"); long n = 0; while (true) { n++; }')
    while True:
        m = kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
            break
    km.interrupt_kernel()
    results["interrupted_reply"] = shell_reply(msg_id)
    for _ in range(100):
        if not km.is_alive():
            break
        time.sleep(0.1)
    results["alive_after_interrupt"] = km.is_alive()
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=60)
    reply, seen = run("7")
    results["after_restart"] = {"reply": reply, "iopub": seen}
    km.restart_kernel(now=False)   # a protocol restart: shutdown_request with restart true, then a fresh process
    kc.wait_for_ready(timeout=60)
    reply, seen = run("8")
    results["after_second_restart"] = {"reply": reply, "iopub": seen}
    km.shutdown_kernel(now=False)
    results["alive_after_shutdown"] = km.is_alive()

kc.stop_channels()
stderr.close()
print(json.dumps(results))
