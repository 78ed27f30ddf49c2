namespace LossLab.Notebooks.Execution;

/// <summary>The types a notebook parameter may have.</summary>
public enum ParameterKind
{
    /// <summary>bool</summary>
    Bool,
    /// <summary>int</summary>
    Int,
    /// <summary>long</summary>
    Long,
    /// <summary>double</summary>
    Double,
    /// <summary>string</summary>
    String,
}

/// <summary>A parameter's type: a scalar kind, or an array of one.</summary>
public readonly record struct ParameterType(ParameterKind Kind, bool IsArray)
{
    /// <summary>The C# spelling: <c>int</c>, <c>double[]</c>, …</summary>
    public string CSharpName => Kind switch
    {
        ParameterKind.Bool => "bool",
        ParameterKind.Int => "int",
        ParameterKind.Long => "long",
        ParameterKind.Double => "double",
        _ => "string",
    } + (IsArray ? "[]" : "");

    /// <inheritdoc/>
    public override string ToString() => CSharpName;

    /// <summary>Reads a C# type name (<c>int</c>, <c>Int32</c>, <c>System.Double</c>, <c>string[]</c>, …); null if unsupported.</summary>
    public static ParameterType? Parse(string typeName)
    {
        var name = typeName.Replace(" ", "", StringComparison.Ordinal);
        bool array = name.EndsWith("[]", StringComparison.Ordinal);
        if (array) name = name[..^2];
        if (name.StartsWith("System.", StringComparison.Ordinal)) name = name["System.".Length..];
        ParameterKind? kind = name switch
        {
            "bool" or "Boolean" => ParameterKind.Bool,
            "int" or "Int32" => ParameterKind.Int,
            "long" or "Int64" => ParameterKind.Long,
            "double" or "Double" => ParameterKind.Double,
            "string" or "String" => ParameterKind.String,
            _ => null,
        };
        return kind is { } k ? new ParameterType(k, array) : null;
    }
}
