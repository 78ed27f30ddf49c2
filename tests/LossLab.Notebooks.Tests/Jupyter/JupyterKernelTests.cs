using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using LossLab.Notebooks.Jupyter;
using LossLab.Notebooks.Tests.Cli;
using LossLab.Notebooks.Tests.Execution;

namespace LossLab.Notebooks.Tests.Jupyter;

/// <summary>The kernelspec commands and the wire format, without Jupyter.</summary>
public class KernelSpecAndWireTests
{
    [Fact]
    public async Task Install_writes_a_kernelspec_launching_this_build_list_finds_it_and_uninstall_removes_it()
    {
        var prefix = NotebookHarness.Scratch();
        var install = await LosslabCommandTests.Losslab(prefix, "kernel", "install", "--prefix", prefix, "--name", "ll-test");
        Assert.True(install.Exit == 0, install.Err);
        var folder = Path.Combine(prefix, "share", "jupyter", "kernels", "ll-test");
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!.AsObject();
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(["kernel", "start", "--connection-file", "{connection_file}"], argv[^4..]);
        Assert.True(Path.IsPathRooted(argv[1]) && File.Exists(argv[1]) && argv[1].EndsWith("LossLab.Cli.dll", StringComparison.Ordinal), argv[1]);
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        Assert.Equal("C# (LossLab)", spec["display_name"]!.GetValue<string>());
        foreach (var (file, size) in new[] { ("logo-32x32.png", 32), ("logo-64x64.png", 64) })
        {
            var png = File.ReadAllBytes(Path.Combine(folder, file));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));   // IHDR width
        }

        var list = await LosslabCommandTests.Losslab(prefix, "kernel", "list", "--prefix", prefix);
        Assert.Contains("ll-test", list.Out);

        var uninstall = await LosslabCommandTests.Losslab(prefix, "kernel", "uninstall", "--prefix", prefix, "--name", "ll-test");
        Assert.True(uninstall.Exit == 0, uninstall.Err);
        Assert.False(Directory.Exists(folder));
        var again = await LosslabCommandTests.Losslab(prefix, "kernel", "uninstall", "--prefix", prefix, "--name", "ll-test");
        Assert.Equal(2, again.Exit);
        Assert.Contains("No kernelspec 'll-test'", again.Err);
    }

    [Fact]
    public void Uninstall_refuses_a_folder_that_is_not_a_losslab_kernelspec_and_bad_names_are_refused()
    {
        var data = NotebookHarness.Scratch();
        var other = Path.Combine(data, "kernels", "python3");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "kernel.json"), """{"argv": ["python3", "-m", "ipykernel", "-f", "{connection_file}"], "language": "python"}""");
        Assert.Contains("not a LossLab kernelspec", Assert.Throws<ArgumentException>(() => KernelSpecs.Uninstall(data, "python3")).Message);
        Assert.True(Directory.Exists(other));
        Assert.Contains("not valid", Assert.Throws<ArgumentException>(() => KernelSpecs.Install(data, "../evil", "x", ["a", "{connection_file}"])).Message);
        Assert.Empty(KernelSpecs.List([data]));
    }

    [Fact]
    public async Task Start_names_the_problem_of_a_missing_or_malformed_connection_file_an_unknown_transport_and_a_port_in_use()
    {
        var dir = NotebookHarness.Scratch();
        var missing = await LosslabCommandTests.Losslab(dir, "kernel", "start", "--connection-file", Path.Combine(dir, "nope.json"));
        Assert.Equal(2, missing.Exit);
        Assert.Contains("does not exist", missing.Err);

        var malformed = Path.Combine(dir, "bad.json");
        File.WriteAllText(malformed, "{ \"ip\": ");
        Assert.Contains("not valid JSON", Assert.Throws<ArgumentException>(() => ConnectionInfo.Read(malformed)).Message);

        var ipc = Path.Combine(dir, "ipc.json");
        File.WriteAllText(ipc, Connection("ipc", 1, 2, 3, 4, 5));
        Assert.Contains("transport \"ipc\" is not supported", Assert.Throws<ArgumentException>(() => ConnectionInfo.Read(ipc)).Message);

        var noPort = Path.Combine(dir, "noport.json");
        File.WriteAllText(noPort, """{"transport": "tcp", "ip": "127.0.0.1", "key": "k"}""");
        Assert.Contains("\"shell_port\"", Assert.Throws<ArgumentException>(() => ConnectionInfo.Read(noPort)).Message);

        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int busy = ((IPEndPoint)taken.LocalEndpoint).Port;
        var ports = FreePorts(4);
        var inUse = Path.Combine(dir, "inuse.json");
        File.WriteAllText(inUse, Connection("tcp", busy, ports[0], ports[1], ports[2], ports[3]));
        var result = await LosslabCommandTests.Losslab(dir, "kernel", "start", "--connection-file", inUse);
        Assert.Equal(2, result.Exit);
        Assert.Contains($"shell channel to tcp://127.0.0.1:{busy}: the port is in use", result.Err);
    }

    [Fact]
    public void Messages_are_signed_with_hmac_sha256_of_the_four_frames_and_a_wrong_signature_or_key_is_rejected()
    {
        var codec = new MessageCodec("secret");
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1+1" }, null, "s", [Encoding.UTF8.GetBytes("client")]);
        var frames = codec.Encode(message);
        Assert.Equal("client", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal(JupyterMessage.Delimiter, Encoding.UTF8.GetString(frames[1]));
        using (var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("secret")))
            Assert.Equal(Convert.ToHexStringLower(hmac.ComputeHash(frames[3..7].SelectMany(f => f).ToArray())), Encoding.ASCII.GetString(frames[2]));
        var decoded = codec.Decode(frames);
        Assert.Equal("1+1", decoded.Content["code"]!.GetValue<string>());
        Assert.Equal("client", Encoding.UTF8.GetString(decoded.Identities[0]));

        Assert.Throws<InvalidMessageException>(() => new MessageCodec("other").Decode(frames));
        var tampered = frames.Select(f => f.ToArray()).ToList();
        tampered[6] = Encoding.UTF8.GetBytes("""{"code":"System.IO.File.Delete(\"x\")"}""");
        Assert.Contains("invalid signature", Assert.Throws<InvalidMessageException>(() => codec.Decode(tampered)).Message);
        var unsigned = frames.Select(f => f.ToArray()).ToList();
        unsigned[2] = [];
        Assert.Throws<InvalidMessageException>(() => codec.Decode(unsigned));
        Assert.Throws<InvalidMessageException>(() => codec.Decode(frames[..4]));
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("1 + 1", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("var s = \"abc", "incomplete")]
    [InlineData("var = ;", "invalid")]
    [InlineData("#!time\nvar y = 2;", "complete")]
    public void Is_complete_follows_roslyns_submission_parse(string code, string status) =>
        Assert.Equal(status, JupyterKernelServer.IsComplete(code)["status"]!.GetValue<string>());

    static string Connection(string transport, int shell, int control, int iopub, int stdin, int hb) =>
        $$"""{"transport": "{{transport}}", "ip": "127.0.0.1", "shell_port": {{shell}}, "control_port": {{control}}, "iopub_port": {{iopub}}, "stdin_port": {{stdin}}, "hb_port": {{hb}}, "key": "k", "signature_scheme": "hmac-sha256"}""";

    static int[] FreePorts(int n)
    {
        var listeners = Enumerable.Range(0, n).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }
}

/// <summary>The kernel driven by a real Jupyter client: Debian's python3-jupyter-client starts it from its kernelspec
/// (tests/LossLab.Notebooks.Tests/Jupyter/driver.py records what it sees; these tests assert).</summary>
public class JupyterKernelTests
{
    static async Task<JsonObject> Drive(string mode)
    {
        const string python = "/usr/bin/python3";
        Skip.IfNot(File.Exists(python), "/usr/bin/python3 is missing (apt-get install python3-jupyter-client).");
        var probe = await Process(python, ["-c", "import jupyter_client, zmq"], Path.GetTempPath());
        Skip.If(probe.Exit != 0, "Debian's python3-jupyter-client is not installed (apt-get install python3-jupyter-client): " + probe.Err.Trim());

        var prefix = NotebookHarness.Scratch();
        var name = "ll-" + Guid.NewGuid().ToString("N")[..8];
        var install = await LosslabCommandTests.Losslab(prefix, "kernel", "install", "--prefix", prefix, "--name", name);
        Assert.True(install.Exit == 0, install.Err);
        var driver = Path.Combine(RepositoryNotebooksTests.RepositoryRoot(), "tests", "LossLab.Notebooks.Tests", "Jupyter", "driver.py");
        var stderr = Path.Combine(prefix, "kernel-stderr.txt");
        // The driver, and the kernel it starts, inherit SIGINT ignored, as everything a shell without job control starts in
        // the background does (a CI script, `jupyter lab &`): the kernel must still take the interrupt signal.
        var run = await Process("/bin/sh", ["-c", "trap '' INT; exec \"$0\" \"$@\"", python, driver, name, Path.Combine(prefix, "share", "jupyter"), stderr, mode], prefix);
        Assert.True(run.Exit == 0, $"driver.py {mode} failed:\n{run.Err}\nkernel stderr:\n{(File.Exists(stderr) ? File.ReadAllText(stderr) : "")}");
        var results = JsonNode.Parse(run.Out)!.AsObject();
        results["kernel_stderr"] = File.ReadAllText(stderr);
        Assert.Contains(name, results["specs"]!.AsArray().Select(s => s!.GetValue<string>()));   // jupyter's KernelSpecManager sees it
        return results;
    }

    static async Task<(int Exit, string Out, string Err)> Process(string file, IEnumerable<string> args, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // A process it started that still holds its output (a kernel left running) must fail the test, not hang it.
        try { await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(60)); }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{file} exited with code {process.ExitCode}, but a process it started still holds its output open after 60 s.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    static List<(string Type, JsonObject Content)> Iopub(JsonNode run) =>
        run["iopub"]!.AsArray().Select(m => (m![0]!.GetValue<string>(), m[1]!.AsObject())).ToList();

    static string S(JsonNode? node) => node!.GetValue<string>();

    static int I(JsonNode? node) => node!.GetValue<int>();

    [SkippableFact]
    public async Task A_jupyter_client_gets_kernel_info_results_streams_errors_displays_counts_completeness_completions_input_and_a_clean_shutdown()
    {
        var r = await Drive("protocol");

        Assert.Equal("ping-losslab", S(r["heartbeat"]));   // the heartbeat socket echoes
        var info = r["kernel_info"]!;
        Assert.Equal("5.3", S(info["protocol_version"]));
        Assert.Equal("losslab", S(info["implementation"]));
        var language = info["language_info"]!;
        Assert.Equal(("C#", "text/x-csharp", ".cs", "csharp", "text/x-csharp"),
            (S(language["name"]), S(language["mimetype"]), S(language["file_extension"]), S(language["pygments_lexer"]), S(language["codemirror_mode"])));
        Assert.False(string.IsNullOrEmpty(S(language["version"])));
        Assert.Contains("LossLab", S(info["banner"]));

        // 1+1: busy, execute_input, execute_result "2", idle; reply ok with count 1.
        var one = Iopub(r["one_plus_one"]!);
        Assert.Equal(["status", "execute_input", "execute_result", "status"], one.Select(m => m.Type));
        Assert.Equal(("busy", "idle"), (S(one[0].Content["execution_state"]), S(one[^1].Content["execution_state"])));
        Assert.Equal("2", S(one[2].Content["data"]!["text/plain"]));
        Assert.Equal(1, I(one[2].Content["execution_count"]));
        Assert.Equal(("ok", 1), (S(r["one_plus_one"]!["reply"]!["status"]), I(r["one_plus_one"]!["reply"]!["execution_count"])));

        var streams = Iopub(r["streams"]!).Where(m => m.Type == "stream").Select(m => (S(m.Content["name"]), S(m.Content["text"]))).ToList();
        Assert.Equal([("stdout", "hello from a cell\n"), ("stderr", "warn")], streams);

        var exception = r["exception"]!;
        Assert.Equal(("error", "System.InvalidOperationException", "boom"),
            (S(exception["reply"]!["status"]), S(exception["reply"]!["ename"]), S(exception["reply"]!["evalue"])));
        var error = Assert.Single(Iopub(exception), m => m.Type == "error");
        Assert.Contains("cell3.csx:line 1", string.Join("\n", error.Content["traceback"]!.AsArray().Select(S)));

        var display = Iopub(r["display"]!).Where(m => m.Type.Contains("display")).ToList();
        Assert.Equal(["display_data", "update_display_data"], display.Select(m => m.Type));
        Assert.Equal(("first", "second"), (S(display[0].Content["data"]!["text/plain"]), S(display[1].Content["data"]!["text/plain"])));
        Assert.Equal(S(display[0].Content["transient"]!["display_id"]), S(display[1].Content["transient"]!["display_id"]));

        // Counts: 4 cells so far; silent and store_history=false do not increment; silent publishes nothing but status.
        Assert.Equal(4, I(r["silent"]!["reply"]!["execution_count"]));
        Assert.All(Iopub(r["silent"]!), m => Assert.Equal("status", m.Type));
        Assert.Equal(4, I(r["no_history"]!["reply"]!["execution_count"]));
        Assert.Equal(5, I(r["after_silent"]!["reply"]!["execution_count"]));

        Assert.Equal("error", S(r["stop_on_error"]!["first"]!["status"]));
        Assert.Equal("aborted", S(r["stop_on_error"]!["second"]!["status"]));

        var complete = r["is_complete"]!;
        Assert.Equal(["complete", "incomplete", "incomplete", "invalid", "complete"],
            new[] { "complete", "incomplete", "incomplete_string", "invalid", "magic" }.Select(k => S(complete[k]!["status"])));
        // complete_request and inspect_request from the kernel's state; Console.ReadLine through input_request.
        var completions = r["complete"]!;
        Assert.Contains("numbers", completions["variable"]!["matches"]!.AsArray().Select(S));
        Assert.Contains("Count", completions["member"]!["matches"]!.AsArray().Select(S));
        Assert.Equal((8, 11), (I(completions["member"]!["cursor_start"]), I(completions["member"]!["cursor_end"])));
        Assert.Contains("Sqrt", completions["static"]!["matches"]!.AsArray().Select(S));
        Assert.Contains("Square", completions["method"]!["matches"]!.AsArray().Select(S));
        Assert.True(r["inspect"]!["found"]!.GetValue<bool>());
        Assert.Equal("Square(int)\n\nSquares a number.", S(r["inspect"]!["data"]!["text/plain"]));
        Assert.False(r["input_request"]!["password"]!.GetValue<bool>());
        Assert.Equal("ok", S(r["input"]!["reply"]!["status"]));
        Assert.Equal("hello Ada\n", S(Iopub(r["input"]!).Single(m => m.Type == "stream").Content["text"]));

        Assert.Empty(r["comm_info"]!["comms"]!.AsObject());
        Assert.Empty(r["history"]!["history"]!.AsArray());

        // Forged (wrong key) and unsigned requests were logged and never run: "forged" is not declared afterwards.
        Assert.Equal(2, S(r["kernel_stderr"]).Split('\n').Count(l => l.Contains("rejected a message on the shell channel: invalid signature")));
        Assert.Contains("CS0103", S(r["bad_signature"]!["reply"]!["evalue"]));
        Assert.Equal("42", S(Iopub(r["after_bad_signature"]!).Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]));

        Assert.False(r["alive_after_shutdown"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task Interrupt_while_idle_keeps_the_kernel_SIGINT_stops_a_cell_waiting_for_input_a_busy_loop_interrupted_ends_it_and_the_client_restarts_it()
    {
        var r = await Drive("interrupt");
        Assert.Equal("ok", S(r["idle_interrupt_reply"]!["status"]));
        Assert.Equal("1", S(Iopub(r["after_idle_interrupt"]!).Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]));
        Assert.Equal("error", S(r["sigint_reply"]!["status"]));
        Assert.Equal("2", S(Iopub(r["after_sigint"]!).Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]));
        Assert.Equal(("error", "KernelInterrupted"), (S(r["interrupted_reply"]!["status"]), S(r["interrupted_reply"]!["ename"])));
        Assert.False(r["alive_after_interrupt"]!.GetValue<bool>());
        foreach (var (key, value) in new[] { ("after_restart", "7"), ("after_second_restart", "8") })
        {
            Assert.Equal(1, I(r[key]!["reply"]!["execution_count"]));   // a fresh kernel counts from 1
            Assert.Equal(value, S(Iopub(r[key]!).Single(m => m.Type == "execute_result").Content["data"]!["text/plain"]));
        }
        Assert.False(r["alive_after_shutdown"]!.GetValue<bool>());
    }
}

/// <summary>
/// Every notebook under notebooks/ executed by Jupyter's nbclient through LossLab's kernel (as JupyterLab, VS Code's
/// Jupyter extension and papermill drive it) at smoke scale gives the same outputs as <c>losslab run</c> at the same scale:
/// output kinds and MIME types, stream text with timings masked, and the claim records. One notebook also runs through
/// <c>jupyter nbconvert --to notebook --execute</c>. Opt-in (<c>LOSSLAB_JUPYTER_NOTEBOOK=1</c>: several minutes); skipped,
/// with the reason, where Debian's python3-nbclient or jupyter-nbconvert is missing.
/// </summary>
[Collection("Engine")]
public class JupyterNotebookParityTests(ITestOutputHelper log)
{
    public const string OptInVariable = "LOSSLAB_JUPYTER_NOTEBOOK";
    const string Python = "/usr/bin/python3";

    static async Task<string> InstalledKernel(string scratch, string name)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable(OptInVariable) == "1", $"Opt-in: set {OptInVariable}=1 (runs every notebook twice, several minutes).");
        Skip.IfNot(File.Exists(Python), "/usr/bin/python3 is missing.");
        var probe = await Run(Python, ["-c", "import nbclient, nbformat, jupyter_client"], scratch);
        Skip.If(probe.Exit != 0, "python3-nbclient is not installed (apt-get install python3-nbclient python3-jupyter-client).");
        var install = await LosslabCommandTests.Losslab(scratch, "kernel", "install", "--prefix", scratch, "--name", name);
        Assert.True(install.Exit == 0, install.Err);
        return Path.Combine(scratch, "share", "jupyter");
    }

    static async Task<(int Exit, string Out, string Err)> Run(string file, IEnumerable<string> args, string directory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await output, await errors);
    }

    [SkippableFact]
    public async Task Every_notebook_run_by_nbclient_through_the_kernel_matches_losslab_run()
    {
        var scratch = NotebookHarness.Scratch();
        var data = await InstalledKernel(scratch, "ll-nb");
        var root = RepositoryNotebooksTests.RepositoryRoot();
        var notebooks = Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(notebooks);

        var viaKernel = Path.Combine(scratch, "kernel");
        var driver = Path.Combine(root, "tests", "LossLab.Notebooks.Tests", "Jupyter", "driver.py");
        var kernelRun = await Run(Python, [driver, "ll-nb", data, Path.Combine(scratch, "kernel-stderr.txt"), "notebook", viaKernel, .. notebooks], scratch);
        log.WriteLine(kernelRun.Err);
        Assert.True(kernelRun.Exit == 0, kernelRun.Err);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(viaKernel, "summary.json")))!.AsArray();

        var batch = await LosslabCommandTests.Losslab(scratch, "run", Path.Combine(root, "notebooks"), "--scale", "smoke", "--out", Path.Combine(scratch, "art"));
        Assert.True(batch.Exit == 0, batch.Err);

        var problems = new List<string>();
        foreach (var entry in summary)
        {
            var source = entry!["notebook"]!.GetValue<string>();
            if (entry["error"] is JsonValue error) { problems.Add($"{Path.GetFileName(source)}: {error}"); continue; }
            var viaRun = Directory.GetFiles(Path.Combine(scratch, "art"), Path.GetFileName(source), SearchOption.AllDirectories)
                .Single(p => !p.Contains(Path.DirectorySeparatorChar + "site" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            var expected = Summary(viaRun);
            var actual = Summary(entry["output"]!.GetValue<string>());
            var first = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
                .FirstOrDefault(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i], -1);
            if (first >= 0)
                problems.Add($"{Path.GetFileName(source)}: output {first} differs: losslab run «{(first < expected.Count ? expected[first] : "(none)")}» vs kernel «{(first < actual.Count ? actual[first] : "(none)")}»");
            log.WriteLine($"{Path.GetFileName(source)}: {entry["seconds"]} s through the kernel, {expected.Count} outputs, {(first < 0 ? "same" : "different")}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(notebooks.Count, summary.Count);
    }

    [SkippableFact]
    public async Task Nbconvert_executes_a_notebook_through_the_kernel()
    {
        var scratch = NotebookHarness.Scratch();
        var data = await InstalledKernel(scratch, "ll-nbconvert");
        Skip.IfNot(File.Exists("/usr/bin/jupyter-nbconvert"), "jupyter-nbconvert is not installed (apt-get install jupyter-nbconvert).");
        var root = RepositoryNotebooksTests.RepositoryRoot();
        var source = Path.Combine(root, "notebooks", "scaling-laws", "chinchilla-replication.ipynb");
        var target = Path.Combine(scratch, "executed.ipynb");
        var run = await Run("/usr/bin/jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=ll-nbconvert",
            "--ExecutePreprocessor.timeout=600", "--output", target, source], Path.GetDirectoryName(source)!, new Dictionary<string, string> { ["JUPYTER_PATH"] = data });
        Assert.True(run.Exit == 0, run.Err);
        var nb = JsonNode.Parse(File.ReadAllText(target))!;
        // nbclient keeps the document's kernelspec metadata; language_info is what the running kernel's kernel_info said.
        Assert.Equal("text/x-csharp", nb["metadata"]!["language_info"]!["mimetype"]!.GetValue<string>());
        var code = nb["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.Equal(Enumerable.Range(1, code.Count), code.Select(c => c!["execution_count"]!.GetValue<int>()));
        var outputs = code.SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => o!["output_type"]!.GetValue<string>() == "error");
        Assert.Contains(outputs, o => o!["data"]?["text/html"] is not null && o["data"]!["text/html"]!.ToJsonString().Contains("plotly", StringComparison.OrdinalIgnoreCase));
        var claims = outputs.SelectMany(o => o!["metadata"]?["losslab"]?["claims"] as JsonArray ?? []).ToList();
        Assert.NotEmpty(claims);
        Assert.All(claims, c => Assert.Contains(c!["verdict"]!.GetValue<string>(), new[] { "held", "failed", "inconclusive", "not-run" }));
    }

    /// <summary>Per code cell: output kinds with their MIME types (consecutive streams merged), stream text with wall-clock
    /// times and ratios masked, and the claim records' id, verdict and observed value.</summary>
    static List<string> Summary(string path)
    {
        var nb = JsonNode.Parse(File.ReadAllText(path))!;
        var lines = new List<string>();
        foreach (var cell in nb["cells"]!.AsArray())
        {
            if (cell!["cell_type"]!.GetValue<string>() != "code") continue;
            if (cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t!.GetValue<string>() == "injected-parameters")) continue;
            string? lastStream = null;
            foreach (var o in cell["outputs"]!.AsArray())
            {
                var type = o!["output_type"]!.GetValue<string>();
                if (type == "stream")
                {
                    var text = o["text"] is JsonArray parts ? string.Concat(parts.Select(x => x!.GetValue<string>())) : o["text"]!.GetValue<string>();
                    text = System.Text.RegularExpressions.Regex.Replace(text, @"[0-9.]+( m?s\b|×)", "#$1");   // wall-clock times and ratios
                    var name = o["name"]!.GetValue<string>();
                    if (lastStream == name) { lines[^1] += text; continue; }
                    lastStream = name;
                    lines.Add($"stream {name}: {text}");
                    continue;
                }
                lastStream = null;
                var mimes = o["data"] is JsonObject data ? string.Join(",", data.Select(d => d.Key).Order(StringComparer.Ordinal)) : "";
                lines.Add($"{type} {mimes}");
                if (o["metadata"]?["losslab"]?["claims"] is JsonArray claims)
                    lines.AddRange(claims.Select(c => $"claim {c!["id"]} {c["verdict"]} {c["observed"]}"));
            }
        }
        return lines;
    }
}
