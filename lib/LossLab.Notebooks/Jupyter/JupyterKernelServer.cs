using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetMQ;
using NetMQ.Sockets;

namespace LossLab.Notebooks.Jupyter;

/// <summary>
/// LossLab's C# engine (<see cref="CSharpKernel"/>) served as a Jupyter kernel: the messaging protocol 5.3 over ZeroMQ
/// (NetMQ), with the shell, control, stdin, iopub and heartbeat sockets of a connection file. Every incoming message's
/// HMAC-SHA256 signature is verified (constant-time); a message that fails is logged to stderr and dropped. Cells run one
/// at a time from the shell channel; control (kernel_info, interrupt, shutdown) is served on its own thread meanwhile.
/// Interrupt: the running cell's cancellation token is cancelled; a cell that does not stop within
/// <see cref="InterruptGrace"/> (a busy loop cannot be stopped from outside in .NET) gets an error reply, and the kernel
/// process exits so that the client restarts it (JupyterLab, VS Code and nbclient's restarter do; the state is lost).
/// </summary>
public sealed class JupyterKernelServer : IDisposable
{
    /// <summary>How long an interrupted cell may take to stop before the kernel gives up on it and exits.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    /// <summary>Exit code of a kernel that exited because an interrupted cell would not stop.</summary>
    public const int InterruptExitCode = 3;

    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    readonly ConnectionInfo connection;
    readonly MessageCodec codec;
    readonly string session = Guid.NewGuid().ToString("N");
    readonly TextWriter log;
    readonly object iopubGate = new();
    readonly RouterSocket shell = new(), control = new(), stdin = new();
    readonly PublisherSocket iopub = new();
    readonly ResponseSocket heartbeat = new();
    readonly CSharpKernel kernel;
    readonly ManualResetEventSlim stopped = new();
    int executionCount, cellNumber;
    int exitCode;
    volatile CancellationTokenSource? runningCell;
    volatile TaskCompletionSource? interrupted;

    /// <summary>Binds the sockets of <paramref name="connection"/>; a port in use throws <see cref="ArgumentException"/> naming
    /// the channel and port. Cells run in <paramref name="workingDirectory"/>; <paramref name="log"/> receives diagnostics.</summary>
    public JupyterKernelServer(ConnectionInfo connection, string workingDirectory, TextWriter log)
    {
        this.connection = connection;
        this.log = log;
        codec = new MessageCodec(connection.Key);
        kernel = new CSharpKernel(workingDirectory);
        foreach (var (socket, port, name) in new (NetMQSocket, int, string)[]
                 { (shell, connection.ShellPort, "shell"), (control, connection.ControlPort, "control"), (stdin, connection.StdinPort, "stdin"),
                   (iopub, connection.IopubPort, "iopub"), (heartbeat, connection.HeartbeatPort, "heartbeat") })
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            try { socket.Bind(connection.Endpoint(port)); }
            catch (NetMQ.NetMQException e)
            {
                Dispose();
                throw new ArgumentException($"Cannot bind the {name} channel to {connection.Endpoint(port)}: {(e is AddressAlreadyInUseException ? "the port is in use" : e.Message)}.");
            }
        }
    }

    /// <summary>Serves until a shutdown request (returns 0) or an interrupt the running cell ignored (returns
    /// <see cref="InterruptExitCode"/>).</summary>
    public int Run()
    {
        Console.SetIn(TextReader.Null);   // Console.ReadLine in a cell reads end of input instead of blocking the kernel
        var threads = new[]
        {
            new Thread(HeartbeatLoop) { IsBackground = true, Name = "jupyter heartbeat" },
            new Thread(() => RequestLoop(control, "control")) { IsBackground = true, Name = "jupyter control" },
            new Thread(() => RequestLoop(shell, "shell")) { IsBackground = true, Name = "jupyter shell" },
        };
        AcceptInterruptSignals();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; Interrupt(); });
        foreach (var t in threads) t.Start();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        stopped.Wait();
        foreach (var t in threads) t.Join(TimeSpan.FromSeconds(2));
        return exitCode;
    }

    void Stop(int code)
    {
        exitCode = code;
        stopped.Set();
    }

    void HeartbeatLoop()
    {
        var frames = new List<byte[]>();
        while (!stopped.IsSet)
            if (heartbeat.TryReceiveMultipartBytes(Poll, ref frames!)) heartbeat.SendMultipartBytes(frames);
    }

    void RequestLoop(RouterSocket socket, string channel)
    {
        var frames = new List<byte[]>();
        while (!stopped.IsSet)
        {
            if (!socket.TryReceiveMultipartBytes(Poll, ref frames!)) continue;
            if (Verify(frames, channel) is { } message) Handle(message, socket, channel);
        }
    }

    JupyterMessage? Verify(List<byte[]> frames, string channel)
    {
        try { return codec.Decode(frames); }
        catch (InvalidMessageException e)
        {
            log.WriteLine($"losslab kernel: rejected a message on the {channel} channel: {e.Message}; it was not handled.");
            return null;
        }
    }

    void Handle(JupyterMessage message, RouterSocket socket, string channel)
    {
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, message);
        try
        {
            switch (message.Type)
            {
                case "kernel_info_request": Reply(socket, message, "kernel_info_reply", KernelInfo()); break;
                case "execute_request": Execute(message, socket); break;
                case "is_complete_request": Reply(socket, message, "is_complete_reply", IsComplete(Text(message, "code"))); break;
                case "complete_request":
                    Reply(socket, message, "complete_reply", CodeAssistance.Complete(kernel.CompileNext(Text(message, "code")), Text(message, "code"), Cursor(message)));
                    break;
                case "inspect_request":
                    Reply(socket, message, "inspect_reply", CodeAssistance.Inspect(kernel.CompileNext(Text(message, "code")), Text(message, "code"), Cursor(message)));
                    break;
                case "comm_info_request": Reply(socket, message, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "history_request": Reply(socket, message, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
                case "interrupt_request":
                    Interrupt();
                    Reply(socket, message, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    var restart = message.Content["restart"]?.GetValue<bool>() ?? false;
                    var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
                    Reply(socket, message, "shutdown_reply", content);
                    Publish("shutdown_reply", content.DeepClone().AsObject(), message);
                    Publish("status", new JsonObject { ["execution_state"] = "idle" }, message);
                    Stop(0);
                    return;
                default:
                    log.WriteLine($"losslab kernel: {message.Type} on the {channel} channel is not supported; ignored.");
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.WriteLine($"losslab kernel: handling {message.Type} failed: {e}");
        }
        Publish("status", new JsonObject { ["execution_state"] = "idle" }, message);
    }

    static string Text(JupyterMessage message, string name) => message.Content[name]?.GetValue<string>() ?? "";

    static int Cursor(JupyterMessage message) =>
        message.Content["cursor_pos"] is JsonValue v && v.TryGetValue<int>(out var p) ? p : Text(message, "code").Length;

    static bool Flag(JupyterMessage message, string name, bool fallback) =>
        message.Content[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    JsonObject KernelInfo()
    {
        var language = CSharpKernel.LanguageInfo();
        language["codemirror_mode"] = "text/x-csharp";
        var version = typeof(JupyterKernelServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "losslab",
            ["implementation_version"] = version.Split('+')[0],
            ["language_info"] = language,
            ["banner"] = $"LossLab C# kernel {version.Split('+')[0]} (Roslyn C# {language["version"]}, .NET {Environment.Version}): LossLab's notebook engine, with its magics, parameters and formatters.",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }

    /// <summary>complete, incomplete or invalid, from Roslyn's parse of the code as a script submission (magic lines
    /// starting with <c>#!</c> are left out of the parse).</summary>
    internal static JsonObject IsComplete(string code)
    {
        var csharp = string.Join('\n', code.Split('\n').Select(l => l.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? "" : l));
        var tree = CSharpSyntaxTree.ParseText(csharp, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return new JsonObject { ["status"] = "incomplete", ["indent"] = "" };
        var invalid = tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        return new JsonObject { ["status"] = invalid ? "invalid" : "complete" };
    }

    void Execute(JupyterMessage request, RouterSocket socket)
    {
        var code = Text(request, "code");
        bool silent = Flag(request, "silent", false);
        bool storeHistory = !silent && Flag(request, "store_history", true);
        bool stopOnError = Flag(request, "stop_on_error", true);
        if (storeHistory) executionCount++;
        int count = executionCount;
        int cell = ++cellNumber;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        var shown = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        kernel.OnStream = silent ? null : (name, text) => Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, request);
        kernel.OnDisplay = silent ? null : (handle, output, update) =>
        {
            if (!update) shown.Add(output);
            Publish(update ? "update_display_data" : "display_data", DisplayContent(output, $"{cell}.{handle}"), request);
        };
        Console.SetIn(Flag(request, "allow_stdin", true) && !silent ? new StdinReader(this, request) : TextReader.Null);
        using var cancel = new CancellationTokenSource();
        var interrupt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        interrupted = interrupt;
        runningCell = cancel;
        CellRun run;
        try
        {
            var task = kernel.RunAsync(code, $"cell{cell}.csx", count, cancellationToken: cancel.Token);
            if (Task.WhenAny(task, interrupt.Task).GetAwaiter().GetResult() != task && !task.Wait(InterruptGrace))
            {
                run = Failure("KernelInterrupted", "The cell was interrupted but did not stop (a running loop cannot be stopped from outside); the kernel exits and the client restarts it.");
                Finish(request, socket, run, count, silent, shown, stopOnError: false);
                Stop(InterruptExitCode);
                return;
            }
            run = task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            run = Failure("OperationCanceledException", "The cell was interrupted.");
        }
        finally
        {
            runningCell = null;
            interrupted = null;
            kernel.OnStream = null;
            kernel.OnDisplay = null;
            Console.SetIn(TextReader.Null);
        }
        Finish(request, socket, run, count, silent, shown, stopOnError);
    }

    static CellRun Failure(string name, string value) =>
        new([Documents.CellOutputs.Error(name, value, [$"{name}: {value}"])], TimeSpan.Zero, new CellError(name, value, [$"{name}: {value}"]));

    void Finish(JupyterMessage request, RouterSocket socket, CellRun run, int count, bool silent, HashSet<JsonObject> shown, bool stopOnError)
    {
        if (!silent)
            foreach (var output in run.Outputs.OfType<JsonObject>())
                switch (output["output_type"]?.GetValue<string>())
                {
                    case "execute_result":
                        Publish("execute_result", new JsonObject
                        {
                            ["execution_count"] = count, ["data"] = Data(output["data"]), ["metadata"] = output["metadata"]?.DeepClone() ?? new JsonObject(),
                        }, request);
                        break;
                    case "display_data" when !shown.Contains(output):
                        Publish("display_data", DisplayContent(output, null), request);
                        break;
                    case "error":
                        Publish("error", new JsonObject
                        {
                            ["ename"] = output["ename"]?.DeepClone(), ["evalue"] = output["evalue"]?.DeepClone(), ["traceback"] = output["traceback"]?.DeepClone(),
                        }, request);
                        break;
                }
        if (run.Error is { } error)
        {
            Reply(socket, request, "execute_reply", new JsonObject
            {
                ["status"] = "error", ["execution_count"] = count, ["ename"] = error.Name, ["evalue"] = error.Value,
                ["traceback"] = new JsonArray(error.Traceback.Select(t => (JsonNode?)t).ToArray()),
            });
            if (stopOnError) AbortQueued(socket);
        }
        else
            Reply(socket, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
            });
    }

    /// <summary>After a failed cell with stop_on_error: execute requests already queued on the shell socket get an
    /// "aborted" reply, as ipykernel does; other queued requests are handled normally afterwards.</summary>
    void AbortQueued(RouterSocket socket)
    {
        var others = new List<JupyterMessage>();
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames!))
        {
            if (Verify(frames, "shell") is not { } queued) continue;
            if (queued.Type != "execute_request") { others.Add(queued); continue; }
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, queued);
            Reply(socket, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = executionCount });
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, queued);
        }
        foreach (var m in others) Handle(m, socket, "shell");
    }

    static JsonObject DisplayContent(JsonObject output, string? displayId)
    {
        var content = new JsonObject { ["data"] = Data(output["data"]), ["metadata"] = output["metadata"]?.DeepClone() ?? new JsonObject() };
        content["transient"] = displayId is null ? new JsonObject() : new JsonObject { ["display_id"] = displayId };
        return content;
    }

    /// <summary>A MIME bundle as the protocol sends it: text as one string (nbformat stores it as a list of lines), JSON as is.</summary>
    static JsonObject Data(JsonNode? data)
    {
        var bundle = new JsonObject();
        if (data is not JsonObject obj) return bundle;
        foreach (var (mime, value) in obj)
            bundle[mime] = value is JsonArray lines && lines.All(l => l is JsonValue v && v.TryGetValue<string>(out _)) && !mime.EndsWith("json", StringComparison.Ordinal)
                ? string.Concat(lines.Select(l => l!.GetValue<string>()))
                : value?.DeepClone();
        return bundle;
    }

    [DllImport("libc", EntryPoint = "signal")]
    static extern nint SetSignalDisposition(int signal, nint handler);

    /// <summary>
    /// A process started in the background by a shell without job control (<c>jupyter lab &amp;</c>, a CI script) inherits
    /// SIGINT ignored, and .NET then never delivers SIGINT to a <see cref="PosixSignalRegistration"/>: a front end's
    /// interrupt (interrupt_mode "signal") would be lost and a cell waiting for input would wait for ever. A kernel is
    /// meant to be interrupted, so an inherited "ignore" is put back to the default before the handler is registered
    /// (any other disposition is left as it was).
    /// </summary>
    static void AcceptInterruptSignals()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        const int sigint = 2;
        nint ignore = 1, standard = 0;
        nint previous = SetSignalDisposition(sigint, standard);
        if (previous != ignore) SetSignalDisposition(sigint, previous);
    }

    /// <summary>Interrupts the running cell (if any): cancels its token and wakes the shell thread.</summary>
    public void Interrupt()
    {
        try { runningCell?.Cancel(); } catch (ObjectDisposedException) { }
        interrupted?.TrySetResult();
    }

    void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var frames = codec.Encode(JupyterMessage.Create(type, content, request, session));
        lock (socket) socket.SendMultipartBytes(frames);
    }

    void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = JupyterMessage.Create(type, content, parent, session, identities: [System.Text.Encoding.UTF8.GetBytes(type)]);
        var frames = codec.Encode(message);
        lock (iopubGate) iopub.SendMultipartBytes(frames);
    }

    /// <summary>Console.ReadLine in a cell: an input_request on the stdin channel to the client that sent the execute
    /// request, answered by its input_reply. An interrupt meanwhile stops the cell (<see cref="OperationCanceledException"/>,
    /// as Python's input() raises KeyboardInterrupt); a kernel stopping meanwhile ends the input (null).</summary>
    string? RequestInput(JupyterMessage request, string prompt)
    {
        var ask = JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = false }, request, session);
        lock (stdin)
        {
            stdin.SendMultipartBytes(codec.Encode(ask));
            var frames = new List<byte[]>();
            while (!stopped.IsSet && interrupted is { Task.IsCompleted: false })
            {
                if (!stdin.TryReceiveMultipartBytes(Poll, ref frames!)) continue;
                if (Verify(frames, "stdin") is { Type: "input_reply" } reply) return reply.Content["value"]?.GetValue<string>() ?? "";
            }
            if (!stopped.IsSet && interrupted is { Task.IsCompleted: true }) throw new OperationCanceledException("The cell was interrupted while it waited for input.");
            return null;
        }
    }

    sealed class StdinReader(JupyterKernelServer server, JupyterMessage request) : TextReader
    {
        string? pending;
        int offset;

        public override string? ReadLine()
        {
            if (pending is not null) { var rest = pending[offset..]; pending = null; return rest; }
            return server.RequestInput(request, "");
        }

        public override int Read()
        {
            if (pending is null)
            {
                if (server.RequestInput(request, "") is not { } line) return -1;
                (pending, offset) = (line + "\n", 0);
            }
            int c = pending[offset++];
            if (offset == pending.Length) pending = null;
            return c;
        }

        public override int Peek() => pending is null ? -1 : pending[offset];
    }

    /// <summary>Closes the sockets.</summary>
    public void Dispose()
    {
        foreach (var s in new NetMQSocket[] { shell, control, stdin, iopub, heartbeat }) s.Dispose();
        NetMQConfig.Cleanup(block: false);
    }
}
