package dev.distillery.ui.teachers;

import dev.distillery.ui.Actions;
import dev.distillery.ui.Screen;
import dev.distillery.ui.ScreenPane;
import dev.distillery.ui.ShellContext;
import dev.distillery.ui.common.EmptyState;
import java.util.List;

/** Teacher models: import, inspect, try and benchmark. */
public final class TeachersView extends ScreenPane {
    public TeachersView(ShellContext ctx) {
        super(Screen.TEACHERS, "Large ONNX vision models your students learn from");
        setBody(new EmptyState("mdi2s-school-outline", "No teachers yet",
                "A teacher is a large, general-purpose vision model in ONNX format: an image classifier, an object "
                        + "detector, or a dense map such as a text detector. Distillery copies each one into its "
                        + "model library and learns what it expects and what it answers.",
                List.of("Import an .onnx file from disk, by dragging it onto the window, or from a URL",
                        "See its inputs, outputs, operators, size and preprocessing",
                        "Try it on an image: labels, boxes or a heat map drawn over it",
                        "Measure its accuracy and its speed on this CPU"),
                "Next step: import a teacher. Model import is being built; the library folder is ready.",
                List.of(Actions.openFolder(ctx, ctx.session().dataDirectory().models(), "Open model library folder"))));
    }
}
