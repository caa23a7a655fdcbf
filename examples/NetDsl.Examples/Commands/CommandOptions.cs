using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;

namespace NetDsl.Examples.Commands;

/// <summary>Options shared by the training and evaluation commands, with their range checks.</summary>
public static class CommandOptions
{
    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "a zoo network or variant (see `zoo`), e.g. MultiPathNet_Digits",
        Required = true,
    };

    /// <summary>Hidden: train and evaluate on the first N digits of each split only (quick runs, tests).</summary>
    public static Option<int> Limit() =>
        new Option<int>("--limit") { Description = "use only the first N digits of each split", Hidden = true }.AtLeast(1);

    /// <summary>The --limit given, or null (all digits) when the option is absent.</summary>
    public static int? LimitValue(this ParseResult parseResult, Option<int> limit) =>
        parseResult.GetResult(limit) is null ? null : parseResult.GetValue(limit);

    /// <summary>Rejects values below <paramref name="minimum"/> with a message that names the option.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum) where T : struct, INumber<T>
    {
        option.Validators.Add(result => RequireAtLeast(result, option.Name, minimum));
        return option;
    }

    /// <summary>Rejects zero and negative values.</summary>
    public static Option<double> Positive(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (Converted<double>(result) is { } value && (!(value > 0) || double.IsInfinity(value)))
                result.AddError($"{option.Name} must be a positive number, not {value}");
        });
        return option;
    }

    private static void RequireAtLeast<T>(OptionResult result, string name, T minimum) where T : struct, INumber<T>
    {
        if (Converted<T>(result) is { } value && value < minimum)
            result.AddError($"{name} must be at least {minimum}, not {value}");
    }

    /// <summary>The option's value, or null when its text did not convert (System.CommandLine reports that error itself).</summary>
    private static T? Converted<T>(OptionResult result) where T : struct
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
