using System.CommandLine;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;
using Spectre.Console;

namespace LossLab.Cli.Commands;

/// <summary><c>losslab params NOTEBOOK</c>: each parameter's name, type, default and the comment on its line.</summary>
public static class ParamsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var notebook = new Argument<string>("NOTEBOOK") { Description = "The notebook (.ipynb or .dib)." };
        var command = new Command("params", "List a notebook's parameters: name, type, default and comment.") { notebook };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(notebook)!;
            try
            {
                var document = NotebookFile.Read(path);
                var (parameters, unsupported) = ParameterInjector.Declared(document);
                if (ParameterInjector.FindParametersCell(document) is null)
                {
                    Console.Error.WriteLine($"losslab: {path}: no code cell is tagged \"parameters\".");
                    return 1;
                }
                var table = new Table().AddColumns("name", "type", "default", "comment");
                foreach (var p in parameters) table.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Type.CSharpName), Markup.Escape(p.DefaultText), Markup.Escape(p.Comment));
                foreach (var u in unsupported) table.AddRow(Markup.Escape(u), Markup.Escape("(not settable)"), "", "");
                AnsiConsole.Write(table);
                return 0;
            }
            catch (NotebookFormatException e)
            {
                Console.Error.WriteLine($"losslab: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
