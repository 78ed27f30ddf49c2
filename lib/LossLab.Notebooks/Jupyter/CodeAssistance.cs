using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossLab.Notebooks.Jupyter;

/// <summary>complete_request and inspect_request from Roslyn's semantic model of the cell as the next submission (the
/// kernel's variables, methods and types in scope): completions are the symbols in scope at the cursor (after a '.', the
/// members of the expression's type, extension methods included); inspection shows the symbol's signature and its XML
/// documentation summary when the symbol has one (the kernel's own cells' /// comments; framework references carry no
/// documentation files here).</summary>
static class CodeAssistance
{
    /// <summary>The complete_reply content for <paramref name="code"/> at <paramref name="cursor"/>.</summary>
    public static JsonObject Complete(Compilation compilation, string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var prefix = code[start..cursor];
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        IEnumerable<ISymbol> symbols;
        var before = start > 0 ? tree.GetRoot().FindToken(start - 1) : default;
        if (before.IsKind(SyntaxKind.DotToken) && before.Parent is MemberAccessExpressionSyntax access)
        {
            var target = model.GetSymbolInfo(access.Expression).Symbol;
            if (target is INamespaceOrTypeSymbol container)
                symbols = target is INamespaceSymbol ? model.LookupNamespacesAndTypes(start, container) : model.LookupStaticMembers(start, container);
            else if (model.GetTypeInfo(access.Expression).Type is { } type)
                symbols = model.LookupSymbols(start, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { ReducedFrom: not null });
            else symbols = [];
        }
        else symbols = model.LookupSymbols(start);
        var matches = symbols
            .Where(s => s.CanBeReferencedByName && s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Name).Distinct(StringComparer.Ordinal)
            .OrderBy(n => !n.StartsWith(prefix, StringComparison.Ordinal)).ThenBy(n => n, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(matches.Select(m => (JsonNode?)m).ToArray()),
            ["cursor_start"] = start,
            ["cursor_end"] = cursor,
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>The inspect_reply content for the symbol at (or just before) <paramref name="cursor"/>.</summary>
    public static JsonObject Inspect(Compilation compilation, string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        ISymbol? symbol = null;
        foreach (var position in new[] { cursor, cursor - 1 }.Where(p => p >= 0 && p < root.FullSpan.End))
        {
            var token = root.FindToken(position);
            var node = token.Parent;
            for (int depth = 0; node is not null && symbol is null && depth < 3; depth++, node = node.Parent)
                symbol = model.GetSymbolInfo(node).Symbol ?? model.GetSymbolInfo(node).CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node);
            if (symbol is not null) break;
        }
        if (symbol is null) return new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() };
        var text = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        if (Summary(symbol) is { Length: > 0 } summary) text += "\n\n" + summary;
        return new JsonObject
        {
            ["status"] = "ok", ["found"] = true, ["data"] = new JsonObject { ["text/plain"] = text }, ["metadata"] = new JsonObject(),
        };
    }

    static string? Summary(ISymbol symbol)
    {
        var xml = symbol.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XElement.Parse(xml).Element("summary");
            return summary is null ? null : string.Join(" ", summary.Value.Split((char[])['\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException) { return null; }
    }
}
