# Batched compilation of the engine libraries.
#
# Most of a translation unit's cost here is LibTorch's headers: even with <torch/torch.h>
# precompiled, each file spends seconds on template instantiation and overload
# resolution that every other file repeats. pretext_batch_sources(target) compiles a
# library's .cpp files in generated sources of PRETEXT_BATCH_SIZE files each, so that
# work is done once per batch (six core files: 70 s one by one, 18 s as one batch).
#
# CMake's own UNITY_BUILD writes absolute paths into its generated sources, so a second
# clone of the tree (CI) could never reuse a cached object; these batches include their
# files by paths relative to the batch, which are the same in every clone whose build
# folder sits at the same place in the tree.
#
# A file whose compilation differs from its library's (its own definitions, options or
# include folders, or no precompiled header) stays on its own. Each file of a batch keeps
# its own anonymous namespace, so file-local names must not collide within a library.

option(PRETEXT_BATCH_SOURCES
    "Compile the engine libraries' sources in batches (a full build several times faster)" ON)
set(PRETEXT_BATCH_SIZE 8 CACHE STRING "Source files per batch (PRETEXT_BATCH_SOURCES)")

function(pretext_batch_sources target)
    if(NOT PRETEXT_BATCH_SOURCES)
        return()
    endif()
    get_target_property(sources ${target} SOURCES)
    set(batchable "")
    foreach(source IN LISTS sources)
        if(NOT source MATCHES "\\.cpp$")
            continue()
        endif()
        set(own FALSE)
        foreach(property COMPILE_DEFINITIONS COMPILE_OPTIONS COMPILE_FLAGS
                         INCLUDE_DIRECTORIES SKIP_PRECOMPILE_HEADERS)
            get_source_file_property(value ${source} ${property})
            if(value)
                set(own TRUE)
            endif()
        endforeach()
        if(NOT own)
            list(APPEND batchable ${source})
        endif()
    endforeach()
    list(LENGTH batchable count)
    if(count LESS 2)
        return()
    endif()

    set(folder "${CMAKE_CURRENT_BINARY_DIR}/batches")
    set(generated "")
    set(content "")
    set(position 0)
    foreach(source IN LISTS batchable)
        get_filename_component(absolute "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        file(RELATIVE_PATH relative "${folder}" "${absolute}")
        string(APPEND content "#include \"${relative}\"\n")
        math(EXPR position "${position} + 1")
        math(EXPR in_batch "${position} % ${PRETEXT_BATCH_SIZE}")
        if(in_batch EQUAL 0 OR position EQUAL count)
            list(LENGTH generated index)
            set(file "${folder}/${target}_${index}.cpp")
            # Written only when its text changes, so a reconfigure recompiles nothing.
            file(CONFIGURE OUTPUT "${file}" CONTENT "${content}" @ONLY)
            list(APPEND generated "${file}")
            set(content "")
        endif()
    endforeach()
    # The files stay in the target (IDEs list them) but compile through their batch.
    set_source_files_properties(${batchable} PROPERTIES HEADER_FILE_ONLY ON)
    target_sources(${target} PRIVATE ${generated})
    # GCC takes an included .cpp for a header, where a class holding a member of a type
    # from the anonymous namespace would be a real fault; in a batch it is not.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        set_source_files_properties(${generated} PROPERTIES COMPILE_OPTIONS -Wno-subobject-linkage)
    endif()
endfunction()
