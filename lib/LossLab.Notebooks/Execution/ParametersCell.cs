using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossLab.Notebooks.Execution;

/// <summary>
/// Reads the declarations of a notebook's <c>parameters</c> cell: each top-level variable with an explicit supported type
/// (<c>int Epochs = 10;</c>) or <c>var</c> with a literal (<c>var Lr = 0.1;</c>, <c>var Seeds = new[] { 1, 2 };</c>), and the
/// comment on its line. Declarations of other types stay in the cell but cannot be set from outside.
/// </summary>
public static class ParametersCell
{
    /// <summary>The parameters declared in <paramref name="code"/>, and the names declared with a type that cannot be set.</summary>
    public static (IReadOnlyList<NotebookParameter> Parameters, IReadOnlyList<string> Unsupported) Parse(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var parameters = new List<NotebookParameter>();
        var unsupported = new List<string>();
        foreach (var member in root.Members)
        {
            VariableDeclarationSyntax? declaration = member switch
            {
                FieldDeclarationSyntax f => f.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax l } => l.Declaration,
                _ => null,
            };
            if (declaration is null) continue;
            var comment = TrailingComment(member);
            foreach (var variable in declaration.Variables)
            {
                var name = variable.Identifier.ValueText;
                var init = variable.Initializer?.Value;
                ParameterType? type = declaration.Type.IsVar ? (init is null ? null : Infer(init)) : ParameterType.Parse(declaration.Type.ToString());
                if (type is null || init is null) { unsupported.Add(name); continue; }
                var line = variable.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                parameters.Add(new NotebookParameter(name, type.Value, init.ToString(), comment, line));
            }
        }
        return (parameters, unsupported);
    }

    /// <summary>The value of a literal default (for the execution record), or null when it is not a plain literal.</summary>
    public static object? LiteralValue(string expression, ParameterType type)
    {
        var expr = SyntaxFactory.ParseExpression(expression);
        if (!type.IsArray) return Scalar(expr, type.Kind);
        var elements = expr switch
        {
            ImplicitArrayCreationExpressionSyntax i => i.Initializer.Expressions,
            ArrayCreationExpressionSyntax { Initializer: { } a } => a.Expressions,
            CollectionExpressionSyntax c => SyntaxFactory.SeparatedList(c.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression)),
            _ => default(SeparatedSyntaxList<ExpressionSyntax>?),
        };
        if (elements is null) return null;
        var values = elements.Value.Select(e => Scalar(e, type.Kind)).ToList();
        return values.Any(v => v is null) ? null : values;
    }

    static object? Scalar(ExpressionSyntax expr, ParameterKind kind)
    {
        bool negate = false;
        if (expr is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } neg) { negate = true; expr = neg.Operand; }
        if (expr is not LiteralExpressionSyntax lit) return null;
        var v = lit.Token.Value;
        return (kind, v) switch
        {
            (ParameterKind.Bool, bool b) when !negate => b,
            (ParameterKind.String, string s) when !negate => s,
            (ParameterKind.Int, int i) => negate ? -i : i,
            (ParameterKind.Long, int i) => negate ? -(long)i : i,
            (ParameterKind.Long, long l) => negate ? -l : l,
            (ParameterKind.Double, int i) => negate ? -(double)i : i,
            (ParameterKind.Double, long l) => negate ? -(double)l : l,
            (ParameterKind.Double, double d) => negate ? -d : d,
            (ParameterKind.Double, float f) => negate ? -(double)f : f,
            _ => null,
        };
    }

    static ParameterType? Infer(ExpressionSyntax init)
    {
        switch (init)
        {
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } neg:
                return Infer(neg.Operand) is { IsArray: false, Kind: ParameterKind.Int or ParameterKind.Long or ParameterKind.Double } t ? t : null;
            case LiteralExpressionSyntax lit:
                return lit.Token.Value switch
                {
                    bool => new ParameterType(ParameterKind.Bool, false),
                    string => new ParameterType(ParameterKind.String, false),
                    int => new ParameterType(ParameterKind.Int, false),
                    long => new ParameterType(ParameterKind.Long, false),
                    double => new ParameterType(ParameterKind.Double, false),
                    _ => null,
                };
            case ArrayCreationExpressionSyntax a:
                return ParameterType.Parse(a.Type.ToString()) is { IsArray: true } at ? at : null;
            case ImplicitArrayCreationExpressionSyntax i:
                var kinds = i.Initializer.Expressions.Select(Infer).ToList();
                if (kinds.Count == 0 || kinds.Any(k => k is null || k.Value.IsArray)) return null;
                var distinct = kinds.Select(k => k!.Value.Kind).Distinct().ToList();
                if (distinct.Count == 1) return new ParameterType(distinct[0], true);
                if (distinct.All(k => k is ParameterKind.Int or ParameterKind.Long or ParameterKind.Double))
                    return new ParameterType(distinct.Contains(ParameterKind.Double) ? ParameterKind.Double : ParameterKind.Long, true);
                return null;
            default:
                return null;
        }
    }

    static string TrailingComment(SyntaxNode member)
    {
        var comment = member.GetLastToken().TrailingTrivia.FirstOrDefault(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia));
        var text = comment.ToString();
        return text.StartsWith("//", StringComparison.Ordinal) ? text[2..].Trim() : text.Trim();
    }
}
