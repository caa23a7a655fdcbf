using NetDsl.Binding;

namespace NetDsl.Emit
{
    /// <summary>
    /// Prints the argument checks of one constructor as its <see cref="CheckPlan"/> places them: a check the plan hoists is
    /// written once at its slot (a statement, or a local when the value is more than a name) and its uses read the value;
    /// any other check is made where the value is computed, through the same <c>Require</c> helpers.
    /// </summary>
    internal sealed class CheckPrinter
    {
        private const string Require = "global::NetDsl.Runtime.Composition.Require";

        private readonly SourceWriter writer;
        private readonly ExpressionPrinter expressions;
        private readonly Locals locals;
        private readonly CheckPlan plan;

        public CheckPrinter(SourceWriter writer, ExpressionPrinter expressions, Locals locals, CheckPlan plan)
        {
            this.writer = writer;
            this.expressions = expressions;
            this.locals = locals;
            this.plan = plan;
        }

        /// <summary>Writes the hoisted checks due before top-level statement <paramref name="slot"/>.</summary>
        public void WriteDue(int slot, Sequence where)
        {
            foreach (var hoisted in plan.Due(slot))
            {
                hoisted.IsPrinted = true;
                var check = hoisted.Check;
                if (check.Kind == CheckKind.RangeLength)
                {
                    writer.WriteLine(ExpressionPrinter.RangeCheck(new BoundRange(check.Value, check.End!),
                        expressions.Code(check.Value, where), expressions.Code(check.End!, where))!);
                    continue;
                }
                var call = check.Kind == CheckKind.ChannelCount
                    ? expressions.ChannelCount(check.Value, where)
                    : expressions.LoopCount(check.Value, check.Kind, where);
                if (CheckPlan.IsName(check.Value))
                {
                    writer.WriteLine(call + ";");
                }
                else
                {
                    hoisted.Local = locals.Names.Allocate(hoisted.NameHint);
                    writer.WriteLine($"long {hoisted.Local} = {call};");
                }
            }
        }

        /// <summary>A layer's channel count: the value checked at the top, or checked here.</summary>
        public string ChannelCount(BoundExpression value, Sequence where) =>
            Hoisted(new Check(CheckKind.ChannelCount, value), where) ?? expressions.ChannelCount(value, where);

        /// <summary>
        /// The bound of a <c>repeat</c> or <c>dense</c> loop, computed once: a constant, a name checked before the loop (or at
        /// the top), or a local holding the checked count.
        /// </summary>
        public string LoopCount(BoundExpression count, CheckKind kind, Sequence where)
        {
            if (count.IsConstant)
                return expressions.Code(count, where);
            if (Hoisted(new Check(kind, count), where) is { } checkedCount)
                return checkedCount;
            var call = expressions.LoopCount(count, kind, where);
            if (CheckPlan.IsName(count))
            {
                writer.WriteLine(call + ";");
                return expressions.Code(count, where);
            }
            var local = locals.Names.Allocate(kind == CheckKind.DenseCount ? "denseCount" : "repeatCount");
            writer.WriteLine($"long {local} = {call};");
            return local;
        }

        /// <summary>Before a <c>for</c> over a range: the check of its length, unless it is constant or made at the top.</summary>
        public void RangeLength(BoundRange range, string from, string to)
        {
            if (plan.Find(new Check(CheckKind.RangeLength, range.From, range.To)) != null)
                return;
            if (ExpressionPrinter.RangeCheck(range, from, to) is { } check)
                writer.WriteLine(check);
        }

        private string? Hoisted(Check check, Sequence where)
        {
            // Not yet written would be a plan that misplaced it: then it is checked here, as if not hoisted.
            if (plan.Find(check) is not { IsPrinted: true } hoisted)
                return null;
            return hoisted.Local ?? expressions.Code(check.Value, where);
        }
    }
}
