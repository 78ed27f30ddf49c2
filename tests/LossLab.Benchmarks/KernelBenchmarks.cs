using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLab.Notebooks.Jupyter;
using NetMQ;
using NetMQ.Sockets;

namespace LossLab.Benchmarks;

/// <summary>
/// LossLab's Jupyter kernel against the .NET Interactive kernel, side by side in one run, each launched from its installed
/// kernelspec as Jupyter launches it (<c>losslab-csharp</c>: <c>./losslab kernel install</c>; <c>.net-csharp</c>:
/// <c>dotnet interactive jupyter install</c>). Targets for LossLab's kernel: start to first <c>idle</c> ≤ 2 s, a trivial
/// cell's round trip ≤ 30 ms.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*Kernel*'
/// </summary>
[Config(typeof(Config))]
public class KernelStartBenchmarks
{
    sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
    }

    JupyterTestClient? client;

    [Params("losslab-csharp", ".net-csharp")]
    public string Kernel { get; set; } = "";

    /// <summary>Launch the kernel process, send kernel_info_request (as jupyter_client's wait_for_ready does) and wait
    /// for the reply and the first <c>idle</c> status on iopub.</summary>
    [Benchmark]
    public void StartToFirstIdle()
    {
        client = JupyterTestClient.Start(Kernel);
        client.WaitForReady();
    }

    [IterationCleanup]
    public void Stop()
    {
        client?.Dispose();
        client = null;
    }
}

/// <summary>A trivial cell (<c>1 + 1</c>): execute_request to execute_reply and the cell's <c>idle</c> status, on a
/// started, warmed kernel. See <see cref="KernelStartBenchmarks"/>.</summary>
[Config(typeof(Config))]
public class KernelRoundTripBenchmarks
{
    sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithInvocationCount(20).WithUnrollFactor(1));
    }

    JupyterTestClient client = null!;

    [Params("losslab-csharp", ".net-csharp")]
    public string Kernel { get; set; } = "";

    [GlobalSetup]
    public void Start()
    {
        client = JupyterTestClient.Start(Kernel);
        client.WaitForReady();
        for (int i = 0; i < 3; i++) client.Execute("1 + 1", TimeSpan.FromMinutes(1));   // first compilations, untimed
    }

    [Benchmark]
    public JupyterMessage TrivialCell() => client.Execute("1 + 1", TimeSpan.FromSeconds(30));

    [GlobalCleanup]
    public void Stop() => client.Dispose();
}

/// <summary>A minimal Jupyter client over NetMQ: launches a kernel from its kernelspec with a fresh connection file, then
/// sends shell requests and waits for their reply and their <c>idle</c> status.</summary>
public sealed class JupyterTestClient : IDisposable
{
    readonly Process process;
    readonly DealerSocket shell = new();
    readonly DealerSocket control = new();
    readonly SubscriberSocket iopub = new();
    readonly MessageCodec codec;
    readonly string session = Guid.NewGuid().ToString("N");
    readonly string folder;
    readonly System.Collections.Concurrent.ConcurrentQueue<string> errors;

    JupyterTestClient(Process process, ConnectionInfo info, string folder, System.Collections.Concurrent.ConcurrentQueue<string> errors)
    {
        this.process = process;
        this.errors = errors;
        this.folder = folder;
        codec = new MessageCodec(info.Key);
        iopub.Connect(info.Endpoint(info.IopubPort));
        iopub.SubscribeToAnyTopic();
        shell.Connect(info.Endpoint(info.ShellPort));
        control.Connect(info.Endpoint(info.ControlPort));
    }

    /// <summary>Starts the kernel installed as <paramref name="name"/> in one of Jupyter's data directories.</summary>
    public static JupyterTestClient Start(string name)
    {
        var specFile = KernelSpecs.SearchPath().Select(d => Path.Combine(d, "kernels", name, "kernel.json")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"No kernelspec '{name}' is installed (losslab-csharp: ./losslab kernel install; .net-csharp: dotnet interactive jupyter install).");
        var argv = JsonNode.Parse(File.ReadAllText(specFile))!["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var folder = Directory.CreateTempSubdirectory("losslab-kernel-bench").FullName;
        var ports = FreePorts(5);
        var key = Guid.NewGuid().ToString("N");
        var connection = Path.Combine(folder, "connection.json");
        File.WriteAllText(connection, new JsonObject
        {
            ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["shell_port"] = ports[0], ["control_port"] = ports[1], ["iopub_port"] = ports[2],
            ["stdin_port"] = ports[3], ["hb_port"] = ports[4], ["key"] = key, ["signature_scheme"] = "hmac-sha256",
        }.ToJsonString());
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a.Replace("{connection_file}", connection, StringComparison.Ordinal));
        var process = Process.Start(start)!;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { errors.Enqueue(line); while (errors.Count > 20) errors.TryDequeue(out string? _); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new JupyterTestClient(process, ConnectionInfo.Read(connection), folder, errors);
    }

    static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>kernel_info_request until one is answered and followed by its <c>idle</c> status, as jupyter_client's
    /// wait_for_ready does: iopub's subscription may reach a starting kernel after its first status messages.</summary>
    public void WaitForReady()
    {
        var deadline = Stopwatch.StartNew();
        while (Request("kernel_info_request", new JsonObject(), TimeSpan.FromMinutes(2), idleGrace: TimeSpan.FromMilliseconds(250)) is null)
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("The kernel did not become ready within 2 minutes.");
    }

    /// <summary>Runs <paramref name="code"/>; returns the execute_reply once the cell's <c>idle</c> status has arrived.</summary>
    public JupyterMessage Execute(string code, TimeSpan timeout)
    {
        var reply = Request("execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true,
        }, timeout)!;
        if (reply.Content["status"]?.GetValue<string>() != "ok") throw new InvalidOperationException($"The cell failed: {reply.Content.ToJsonString()}");
        return reply;
    }

    /// <summary>Sends a shell request; waits for its reply and for the <c>idle</c> status published for it. With
    /// <paramref name="idleGrace"/>, returns null when the idle status has not arrived that long after the reply.</summary>
    public JupyterMessage? Request(string type, JsonObject content, TimeSpan timeout, TimeSpan? idleGrace = null)
    {
        var request = JupyterMessage.Create(type, content, null, session);
        var id = request.Header["msg_id"]!.GetValue<string>();
        shell.SendMultipartBytes(codec.Encode(request));
        var deadline = Stopwatch.StartNew();
        var sinceReply = new Stopwatch();
        JupyterMessage? reply = null;
        bool idle = false;
        var frames = new List<byte[]>();
        while (reply is null || !idle)
        {
            if (process.HasExited) throw new InvalidOperationException($"The kernel exited with code {process.ExitCode}: {string.Join("\n", errors)}");
            if (deadline.Elapsed > timeout) throw new TimeoutException($"No {(reply is null ? "reply" : "idle status")} to {type} within {timeout}.");
            if (reply is null && shell.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(1), ref frames!))
            {
                var m = codec.Decode(frames);
                if (m.ParentHeader["msg_id"]?.GetValue<string>() == id) { reply = m; sinceReply.Start(); }
            }
            if (reply is not null && sinceReply.Elapsed > idleGrace) return null;
            while (!idle && iopub.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(reply is null ? 0 : 1), ref frames!))
            {
                var m = codec.Decode(frames);
                idle = m.Type == "status" && m.ParentHeader["msg_id"]?.GetValue<string>() == id && m.Content["execution_state"]?.GetValue<string>() == "idle";
            }
        }
        return reply;
    }

    public void Dispose()
    {
        try
        {
            control.SendMultipartBytes(codec.Encode(JupyterMessage.Create("shutdown_request", new JsonObject { ["restart"] = false }, null, session)));
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        finally
        {
            foreach (var s in new NetMQSocket[] { shell, control, iopub }) { s.Options.Linger = TimeSpan.Zero; s.Dispose(); }
            process.Dispose();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
