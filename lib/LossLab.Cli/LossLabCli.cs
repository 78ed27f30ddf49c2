using System.CommandLine;
using LossLab.Cli.Commands;

namespace LossLab.Cli;

/// <summary>The <c>losslab</c> command: <c>run</c>, <c>params</c>, <c>check</c> and <c>render</c> notebooks. Each subcommand lives in
/// Commands/ and is listed in <see cref="Commands"/>; adding one (e.g. <c>render</c>) is a new file plus one line there.</summary>
public static class LossLabCli
{
    /// <summary>The subcommands, in help order.</summary>
    public static IReadOnlyList<Func<Command>> Commands { get; } =
    [
        RunCommand.Create,
        ParamsCommand.Create,
        CheckCommand.Create,
        RenderCommand.Create,
        DiffCommand.Create,
        KernelCommand.Create,
        SweepCommand.Create,
    ];

    /// <summary>The root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("LossLab: run Polyglot C# notebooks in batch, papermill-style, check them, and render them as an offline site.");
        foreach (var create in Commands) root.Subcommands.Add(create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static Task<int> InvokeAsync(string[] args) =>
        // SIGINT and SIGTERM are handled by the run itself (Interruption), not by System.CommandLine's cancellation.
        Build().Parse(RunCommand.PairParameterArguments(args)).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
