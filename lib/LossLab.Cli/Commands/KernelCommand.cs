using System.CommandLine;
using System.Diagnostics;
using LossLab.Notebooks.Jupyter;

namespace LossLab.Cli.Commands;

/// <summary><c>losslab kernel install|uninstall|list|start</c>: LossLab's engine as a Jupyter kernel.</summary>
public static class KernelCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("kernel", "LossLab's C# engine as a Jupyter kernel: install or remove its kernelspec, list them, or start the kernel.");
        command.Subcommands.Add(Install());
        command.Subcommands.Add(Uninstall());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(Start());
        return command;
    }

    sealed record Location(Option<bool> User, Option<bool> SysPrefix, Option<string?> Prefix);

    static Location AddLocation(Command command)
    {
        var location = new Location(
            new Option<bool>("--user") { Description = "The per-user Jupyter data directory (~/.local/share/jupyter; the default)." },
            new Option<bool>("--sys-prefix") { Description = "The active Python environment's prefix ($VIRTUAL_ENV, $CONDA_PREFIX, else python3's sys.prefix)." },
            new Option<string?>("--prefix") { Description = "A prefix P: the kernelspec goes to P/share/jupyter/kernels/NAME." });
        command.Options.Add(location.User);
        command.Options.Add(location.SysPrefix);
        command.Options.Add(location.Prefix);
        return location;
    }

    static string DataDirectory(ParseResult parse, Location location)
    {
        bool user = parse.GetValue(location.User), sys = parse.GetValue(location.SysPrefix);
        var prefix = parse.GetValue(location.Prefix);
        if ((user ? 1 : 0) + (sys ? 1 : 0) + (prefix is null ? 0 : 1) > 1)
            throw new ArgumentException("Give at most one of --user, --sys-prefix and --prefix.");
        if (prefix is not null) return KernelSpecs.PrefixDataDirectory(prefix);
        if (sys) return KernelSpecs.PrefixDataDirectory(SysPrefix());
        return KernelSpecs.UserDataDirectory();
    }

    static string SysPrefix()
    {
        foreach (var env in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(env) is { Length: > 0 } p) return p;
        try
        {
            var start = new ProcessStartInfo("python3", "-c \"import sys; print(sys.prefix)\"") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var python = Process.Start(start)!;
            var prefix = python.StandardOutput.ReadToEnd().Trim();
            python.WaitForExit();
            if (python.ExitCode == 0 && prefix.Length > 0) return prefix;
        }
        catch (System.ComponentModel.Win32Exception) { }
        throw new ArgumentException("--sys-prefix: no active environment ($VIRTUAL_ENV, $CONDA_PREFIX) and python3 could not report sys.prefix.");
    }

    /// <summary>The command a kernelspec runs: this very build of the CLI, through the dotnet host, so it works from any
    /// folder (the path is absolute; rebuilding in place keeps it valid).</summary>
    internal static List<string> KernelArgv()
    {
        var dll = typeof(KernelCommand).Assembly.Location;
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : DotnetHost();
        return [host, dll, "kernel", "start", "--connection-file", "{connection_file}"];
    }

    static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "dotnet"))) return Path.Combine(dir, "dotnet");
        return "dotnet";
    }

    static Command Install()
    {
        var name = new Option<string>("--name") { Description = "The kernelspec name.", DefaultValueFactory = _ => KernelSpecs.DefaultName };
        var display = new Option<string>("--display-name") { Description = "The name front ends show.", DefaultValueFactory = _ => KernelSpecs.DefaultDisplayName };
        var command = new Command("install", "Install LossLab's kernelspec (kernel.json and logos) into a Jupyter data directory.") { name, display };
        var location = AddLocation(command);
        command.SetAction(parse => Guarded(() =>
        {
            var folder = KernelSpecs.Install(DataDirectory(parse, location), parse.GetValue(name)!, parse.GetValue(display)!, KernelArgv());
            Console.WriteLine($"Installed kernelspec {parse.GetValue(name)} in {folder}");
            return 0;
        }));
        return command;
    }

    static Command Uninstall()
    {
        var name = new Option<string>("--name") { Description = "The kernelspec name.", DefaultValueFactory = _ => KernelSpecs.DefaultName };
        var command = new Command("uninstall", "Remove a LossLab kernelspec from a Jupyter data directory.") { name };
        var location = AddLocation(command);
        command.SetAction(parse => Guarded(() =>
        {
            var folder = KernelSpecs.Uninstall(DataDirectory(parse, location), parse.GetValue(name)!);
            Console.WriteLine($"Removed {folder}");
            return 0;
        }));
        return command;
    }

    static Command ListCommand()
    {
        var prefix = new Option<string?>("--prefix") { Description = "Also search the prefix P (P/share/jupyter)." };
        var command = new Command("list", "List the LossLab kernelspecs Jupyter can find (JUPYTER_PATH, user, environment and system data directories).") { prefix };
        command.SetAction(parse => Guarded(() =>
        {
            var extra = parse.GetValue(prefix) is { } p ? new[] { KernelSpecs.PrefixDataDirectory(p) } : [];
            var specs = KernelSpecs.List(KernelSpecs.SearchPath(extra));
            if (specs.Count == 0) Console.WriteLine("No LossLab kernelspec is installed (losslab kernel install).");
            foreach (var s in specs)
            {
                var dll = s.Argv.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
                var note = dll is not null && !File.Exists(dll) ? $"  (missing: {dll}; reinstall)" : "";
                Console.WriteLine($"{s.Name,-24} {s.Directory}{note}");
            }
            return 0;
        }));
        return command;
    }

    static Command Start()
    {
        var file = new Option<string>("--connection-file", "-f") { Description = "The connection file Jupyter writes (ports, ip, key).", Required = true };
        var command = new Command("start", "Run the kernel on a Jupyter connection file (Jupyter front ends start it from the kernelspec).") { file };
        command.SetAction(parse => Guarded(() =>
        {
            var connection = ConnectionInfo.Read(parse.GetValue(file)!);
            var log = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
            using var server = new JupyterKernelServer(connection, Environment.CurrentDirectory, log);
            return server.Run();
        }));
        return command;
    }

    static int Guarded(Func<int> action)
    {
        try { return action(); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"losslab kernel: {e.Message}");
            return 2;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"losslab kernel: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"losslab kernel: {e.Message}");
            return 1;
        }
    }
}
